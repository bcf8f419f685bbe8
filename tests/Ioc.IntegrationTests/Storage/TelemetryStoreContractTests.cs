using Ioc.Contract.Model;
using Ioc.Storage;

namespace Ioc.IntegrationTests.Storage;

/// <summary>One suite, every adapter: what the collector and the dashboard rely on from any telemetry store.</summary>
public abstract class TelemetryStoreContractTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UtcNow.AddHours(-1);

    protected abstract ITelemetryStore Store { get; }

    private static long Ns(DateTimeOffset t) => (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;

    private static Point Sensor(string device, int second, double temp, string rack = "R01") =>
        new("env-sensor", [new("site", "dc-tinh"), new("device", device), new("rack", rack)],
            [new("temp_c", FieldValue.Float(temp)), new("door_open", FieldValue.Boolean(false)), new("fw", FieldValue.String("7.2"))],
            Ns(T0.AddSeconds(second)));

    private static PointQuery Range(string measurement, string? device = null)
    {
        var tags = device is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["device"] = device };
        return new PointQuery(measurement, T0.AddMinutes(-1), T0.AddHours(1)) { Tags = tags };
    }

    [Fact]
    public async Task Write_ThenQuery_ReturnsTagsFieldsAndTime()
    {
        var device = "ENV-" + Guid.NewGuid().ToString("N")[..8];
        await Store.WriteAsync([Sensor(device, 1, 21.5), Sensor(device, 2, 22.5)], CancellationToken.None);

        var points = await Store.QueryAsync(Range("env-sensor", device), CancellationToken.None);

        Assert.Equal(2, points.Count);
        var first = points[0];
        Assert.Equal(Ns(T0.AddSeconds(1)), first.TimestampNs);
        Assert.Equal("dc-tinh", first.GetTag("site"));
        Assert.Equal("R01", first.GetTag("rack"));
        Assert.Equal(21.5, first.GetField("temp_c")!.Value.AsDouble());
        Assert.False(first.GetField("door_open")!.Value.AsBoolean());
        Assert.Equal("7.2", first.GetField("fw")!.Value.AsString());
        Assert.Equal(22.5, points[1].GetField("temp_c")!.Value.AsDouble());
    }

    [Fact]
    public async Task Write_SamePointTwice_StoresItOnce()
    {
        var device = "ENV-" + Guid.NewGuid().ToString("N")[..8];
        var batch = Enumerable.Range(0, 20).Select(i => Sensor(device, i, 20 + i)).ToList();

        await Store.WriteAsync(batch, CancellationToken.None);
        await Store.WriteAsync(batch, CancellationToken.None);

        Assert.Equal(20, await Store.CountAsync(Range("env-sensor", device), CancellationToken.None));
    }

    [Fact]
    public async Task Write_SameSeriesAndTimeWithNewField_MergesFields()
    {
        var device = "ENV-" + Guid.NewGuid().ToString("N")[..8];
        var tags = new Tag[] { new("site", "dc-tinh"), new("device", device) };
        await Store.WriteAsync([new Point("ups", (Tag[])tags.Clone(), [new("load_pct", FieldValue.Float(40))], Ns(T0))], CancellationToken.None);
        await Store.WriteAsync([new Point("ups", (Tag[])tags.Clone(), [new("battery_pct", FieldValue.Float(99))], Ns(T0))], CancellationToken.None);

        var point = Assert.Single(await Store.QueryAsync(Range("ups", device), CancellationToken.None));

        Assert.Equal(40, point.GetField("load_pct")!.Value.AsDouble());
        Assert.Equal(99, point.GetField("battery_pct")!.Value.AsDouble());
    }

    [Fact]
    public async Task Query_FiltersByTagAndTimeAndLimit()
    {
        var device = "ENV-" + Guid.NewGuid().ToString("N")[..8];
        await Store.WriteAsync([.. Enumerable.Range(0, 10).Select(i => Sensor(device, i, i, rack: i % 2 == 0 ? "R-even" : "R-odd"))], CancellationToken.None);

        var query = Range("env-sensor", device) with
        {
            Tags = new Dictionary<string, string> { ["device"] = device, ["rack"] = "R-even" },
        };
        var even = await Store.QueryAsync(query, CancellationToken.None);
        var limited = await Store.QueryAsync(Range("env-sensor", device) with { Limit = 3 }, CancellationToken.None);
        var window = await Store.QueryAsync(new PointQuery("env-sensor", T0.AddSeconds(2), T0.AddSeconds(5)) { Tags = new Dictionary<string, string> { ["device"] = device } }, CancellationToken.None);

        Assert.Equal(5, even.Count);
        Assert.All(even, p => Assert.Equal("R-even", p.GetTag("rack")));
        Assert.Equal(3, limited.Count);
        Assert.Equal([2.0, 3.0, 4.0], window.Select(p => p.GetField("temp_c")!.Value.AsDouble()));
    }

    [Theory]
    [InlineData("rack, 3 x=1")]
    [InlineData("r' OR '1'='1")]
    [InlineData("r\" OR \"1\"=\"1")]
    [InlineData("a=b,c=d")]
    public async Task Write_HostileTagValue_IsStoredAndFoundExactly(string rack)
    {
        var device = "ENV-" + Guid.NewGuid().ToString("N")[..8];
        await Store.WriteAsync([Sensor(device, 1, 30, rack)], CancellationToken.None);

        var query = Range("env-sensor", device) with { Tags = new Dictionary<string, string> { ["device"] = device, ["rack"] = rack } };
        var point = Assert.Single(await Store.QueryAsync(query, CancellationToken.None));

        Assert.Equal(rack, point.GetTag("rack"));
        Assert.Equal(3, point.Tags.Count);
        Assert.Equal(3, point.Fields.Count);
    }

    [Fact]
    public async Task Write_HostileStringField_IsStoredVerbatimAsOnePoint()
    {
        var device = "ENV-" + Guid.NewGuid().ToString("N")[..8];
        var hostile = "x\" \nenv-sensor,site=hacked,device=" + device + " temp_c=999 1\n\\";
        var point = new Point("event", [new("site", "dc-tinh"), new("device", device), new("type", "probe")], [new("message", FieldValue.String(hostile))], Ns(T0));

        await Store.WriteAsync([point], CancellationToken.None);

        var stored = Assert.Single(await Store.QueryAsync(Range("event", device), CancellationToken.None));
        Assert.Equal(hostile, stored.GetField("message")!.Value.AsString());
        Assert.Empty(await Store.QueryAsync(Range("env-sensor", device), CancellationToken.None));
    }

    [Fact]
    public async Task Count_OfUnknownMeasurement_IsZero()
    {
        Assert.Equal(0, await Store.CountAsync(Range("nothing-here"), CancellationToken.None));
    }

    // ---- AggregateAsync ----

    private static Point Reading(string device, double second, double temp, string rack = "R01", string measurement = "env-sensor") =>
        new(measurement, [new("site", "dc-tinh"), new("device", device), new("rack", rack)],
            [new("temp_c", FieldValue.Float(temp)), new("fw", FieldValue.String("7.2"))],
            Ns(T0.AddTicks((long)(second * TimeSpan.TicksPerSecond))));

    private static AggregateQuery Buckets(string device, params AggregateFunction[] functions) =>
        new("env-sensor", "temp_c", T0, T0.AddMinutes(5), TimeSpan.FromMinutes(1))
        {
            Functions = functions,
            Tags = new Dictionary<string, string> { ["device"] = device },
        };

    [Fact]
    public async Task Aggregate_KnownPoints_ReturnsExactBucketValuesAndOmitsEmptyBuckets()
    {
        var device = "ENV-" + Guid.NewGuid().ToString("N")[..8];
        await Store.WriteAsync(
            [Reading(device, 0, 10), Reading(device, 20, 20), Reading(device, 40, 30), Reading(device, 130, 5), Reading(device, 150, 7), Reading(device, 301, 99)],
            CancellationToken.None);

        var buckets = await Store.AggregateAsync(
            Buckets(device, AggregateFunction.Mean, AggregateFunction.Min, AggregateFunction.Max, AggregateFunction.Sum, AggregateFunction.Count, AggregateFunction.Last),
            CancellationToken.None);

        Assert.Equal([T0, T0.AddMinutes(2)], buckets.Select(b => b.Time));
        Assert.Equal([20.0, 10, 30, 60, 3, 30], buckets[0].Values);
        Assert.Equal([6.0, 5, 7, 12, 2, 7], buckets[1].Values);
        Assert.All(buckets, b => Assert.Empty(b.Group));
    }

    [Fact]
    public async Task Aggregate_IntegerField_MeanIsFractional()
    {
        var device = "UPS-" + Guid.NewGuid().ToString("N")[..8];
        Point Load(int second, long load) => new("ups", [new("site", "dc-tinh"), new("device", device)], [new("load_pct", FieldValue.Integer(load))], Ns(T0.AddSeconds(second)));
        await Store.WriteAsync([Load(1, 40), Load(2, 41)], CancellationToken.None);

        var bucket = Assert.Single(await Store.AggregateAsync(
            new AggregateQuery("ups", "load_pct", T0, T0.AddMinutes(1), TimeSpan.FromMinutes(1)) { Functions = [AggregateFunction.Mean, AggregateFunction.Sum] },
            CancellationToken.None));

        Assert.Equal([40.5, 81], bucket.Values);
    }

    [Fact]
    public async Task Aggregate_GroupByTags_ReturnsBucketsPerGroupOrderedByGroupThenTime()
    {
        var device = "ENV-" + Guid.NewGuid().ToString("N")[..8];
        await Store.WriteAsync(
            [Reading(device, 1, 10, "R02"), Reading(device, 2, 20, "R01"), Reading(device, 3, 40, "R01"), Reading(device, 70, 50, "R01")],
            CancellationToken.None);

        var buckets = await Store.AggregateAsync(Buckets(device, AggregateFunction.Mean) with { GroupBy = ["rack", "site"] }, CancellationToken.None);

        Assert.Equal(
            [("R01", T0, 30.0), ("R01", T0.AddMinutes(1), 50.0), ("R02", T0, 10.0)],
            buckets.Select(b => (b.Group["rack"], b.Time, b.Values[0])));
        Assert.All(buckets, b => Assert.Equal("dc-tinh", b.Group["site"]));
    }

    [Fact]
    public async Task Aggregate_GroupByTagSomeSeriesLack_LeavesItOutOfTheGroup()
    {
        var device = "ENV-" + Guid.NewGuid().ToString("N")[..8];
        var bare = new Point("env-sensor", [new("site", "dc-tinh"), new("device", device)], [new("temp_c", FieldValue.Float(1))], Ns(T0.AddSeconds(5)));
        await Store.WriteAsync([bare, Reading(device, 6, 3, "R01")], CancellationToken.None);

        var buckets = await Store.AggregateAsync(Buckets(device, AggregateFunction.Sum) with { GroupBy = ["rack"] }, CancellationToken.None);

        Assert.Equal(2, buckets.Count);
        Assert.Contains(buckets, b => b.Group.Count == 0 && b.Values[0] == 1);
        Assert.Contains(buckets, b => b.Group.GetValueOrDefault("rack") == "R01" && b.Values[0] == 3);
    }

    [Fact]
    public async Task Aggregate_Limit_ReturnsTheFirstBuckets()
    {
        var device = "ENV-" + Guid.NewGuid().ToString("N")[..8];
        await Store.WriteAsync([.. Enumerable.Range(0, 5).Select(i => Reading(device, i * 60 + 1, i))], CancellationToken.None);

        var buckets = await Store.AggregateAsync(Buckets(device, AggregateFunction.Max) with { Limit = 3 }, CancellationToken.None);

        Assert.Equal([0.0, 1, 2], buckets.Select(b => b.Values[0]));
    }

    [Fact]
    public async Task Aggregate_TooManyBucketsOrNoWidth_IsRefusedBeforeReading()
    {
        var query = Buckets("any", AggregateFunction.Mean);

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.AggregateAsync(query with { Every = TimeSpan.Zero }, CancellationToken.None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.AggregateAsync(query with { Every = TimeSpan.FromMilliseconds(1) }, CancellationToken.None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.AggregateAsync(query with { Limit = 0 }, CancellationToken.None));
    }

    // ---- hostile tag filters, every read ----

    [Theory]
    [InlineData("r' OR '1'='1")]
    [InlineData("' OR 1=1")]
    [InlineData("r\" OR \"1\"=\"1")]
    [InlineData("rack, 3 x=1")]
    [InlineData("a=b,c=d")]
    public async Task Reads_HostileStoredTagValueAsFilter_FindOnlyThatSeries(string rack)
    {
        var device = "ENV-" + Guid.NewGuid().ToString("N")[..8];
        await Store.WriteAsync([Reading(device, 1, 1, "R01"), Reading(device, 2, 2, rack)], CancellationToken.None);
        var tags = new Dictionary<string, string> { ["device"] = device, ["rack"] = rack };

        var bucket = Assert.Single(await Store.AggregateAsync(Buckets(device, AggregateFunction.Sum) with { Tags = tags, GroupBy = ["rack"] }, CancellationToken.None));
        var series = Assert.Single(await Store.ListSeriesAsync(new SeriesQuery { Tags = tags }, CancellationToken.None));
        var latest = Assert.Single(await Store.LatestAsync(new LatestQuery("env-sensor", T0, T0.AddMinutes(5)) { Tags = tags }, CancellationToken.None));

        Assert.Equal(2, bucket.Values[0]);
        Assert.Equal(rack, bucket.Group["rack"]);
        Assert.Equal(rack, series.GetTag("rack"));
        Assert.Equal(3, series.Tags.Count);
        Assert.Equal(rack, latest.GetTag("rack"));
        Assert.Equal(2, latest.GetField("temp_c")!.Value.AsDouble());
    }

    [Theory]
    [InlineData("R01\\")]
    [InlineData("R0\\1")]
    [InlineData("\\' OR 1=1 --")]
    [InlineData("' OR ''='")]
    [InlineData("R01' OR \"rack\" =~ /.*/ OR 'x'='")]
    public async Task Reads_HostileFilterMatchingNothing_ReturnNothingAndDoNotFail(string rack)
    {
        var device = "ENV-" + Guid.NewGuid().ToString("N")[..8];
        await Store.WriteAsync([Reading(device, 1, 1, "R01")], CancellationToken.None);
        var tags = new Dictionary<string, string> { ["device"] = device, ["rack"] = rack };
        var byKey = new Dictionary<string, string> { [rack] = "R01" };

        Assert.Empty(await Store.AggregateAsync(Buckets(device, AggregateFunction.Count) with { Tags = tags }, CancellationToken.None));
        Assert.Empty(await Store.ListSeriesAsync(new SeriesQuery { Tags = tags }, CancellationToken.None));
        Assert.Empty(await Store.LatestAsync(new LatestQuery("env-sensor", T0, T0.AddMinutes(5)) { Tags = tags }, CancellationToken.None));
        Assert.Empty(await Store.LatestAsync(new LatestQuery("env-sensor", T0, T0.AddMinutes(5)) { Tags = byKey }, CancellationToken.None));
        Assert.Single(await Store.LatestAsync(new LatestQuery("env-sensor", T0, T0.AddMinutes(5)) { Tags = new Dictionary<string, string> { ["device"] = device } }, CancellationToken.None));
    }

    // ---- ListSeriesAsync ----

    private static Point Status(string site, string type, string device, int second) =>
        new("status", [new("site", site), new("device", device), new("device_type", type)], [new("state", FieldValue.String("online"))], Ns(T0.AddSeconds(second)));

    [Fact]
    public async Task ListSeries_OfOneMeasurement_ReturnsEveryTagSetOnce()
    {
        await Store.WriteAsync(
            [Reading("ENV-1", 1, 1, "R01"), Reading("ENV-1", 2, 2, "R01"), Reading("ENV-1", 3, 3, "R02"), Reading("ENV-2", 1, 1, "R01"), Status("dc-tinh", "env-sensor", "ENV-1", 1)],
            CancellationToken.None);

        var series = await Store.ListSeriesAsync(new SeriesQuery { Measurement = "env-sensor" }, CancellationToken.None);

        Assert.Equal([("ENV-1", "R01"), ("ENV-1", "R02"), ("ENV-2", "R01")], series.Select(s => (s.GetTag("device"), s.GetTag("rack"))));
        Assert.All(series, s => Assert.Equal("env-sensor", s.Measurement));
        Assert.All(series, s => Assert.Equal("dc-tinh", s.GetTag("site")));
    }

    [Fact]
    public async Task ListSeries_ProjectedOnKeysOverAllMeasurements_IsDistinctPerMeasurementInMeasurementThenTagOrder()
    {
        await Store.WriteAsync(
            [Reading("ENV-1", 1, 1, "R01"), Reading("ENV-1", 2, 2, "R02"), Status("dc-tinh", "env-sensor", "ENV-1", 1), Status("xa-1", "wifi-ap", "AP-1", 1)],
            CancellationToken.None);

        var series = await Store.ListSeriesAsync(new SeriesQuery { Keys = ["site", "device_type", "device"] }, CancellationToken.None);

        Assert.Equal(
            [("env-sensor", "dc-tinh", null, "ENV-1"), ("status", "xa-1", "wifi-ap", "AP-1"), ("status", "dc-tinh", "env-sensor", "ENV-1")],
            series.Select(s => (s.Measurement, s.GetTag("site"), s.GetTag("device_type"), s.GetTag("device"))));
        Assert.DoesNotContain(series, s => s.Tags.ContainsKey("rack"));
    }

    [Fact]
    public async Task ListSeries_TagFilterAndLimit_AreApplied()
    {
        await Store.WriteAsync([.. Enumerable.Range(1, 6).Select(i => Status(i % 2 == 0 ? "even" : "odd", "router", $"RT-{i}", 1))], CancellationToken.None);

        var odd = await Store.ListSeriesAsync(new SeriesQuery { Measurement = "status", Tags = new Dictionary<string, string> { ["site"] = "odd" } }, CancellationToken.None);
        var limited = await Store.ListSeriesAsync(new SeriesQuery { Measurement = "status", Limit = 2 }, CancellationToken.None);
        var limitedProjection = await Store.ListSeriesAsync(new SeriesQuery { Keys = ["site"], Limit = 1 }, CancellationToken.None);
        var none = await Store.ListSeriesAsync(new SeriesQuery { Measurement = "nothing-here" }, CancellationToken.None);

        Assert.Equal(["RT-1", "RT-3", "RT-5"], odd.Select(s => s.GetTag("device")));
        Assert.Equal(["RT-1", "RT-2"], limited.Select(s => s.GetTag("device")));
        Assert.Equal("even", Assert.Single(limitedProjection).GetTag("site"));
        Assert.Empty(none);
    }

    // ---- LatestAsync ----

    [Fact]
    public async Task Latest_PerSeries_ReturnsTheNewestPointInRange()
    {
        await Store.WriteAsync(
            [Reading("ENV-1", 1, 1, "R01"), Reading("ENV-1", 9, 9, "R01"), Reading("ENV-1", 5, 5, "R02"), Reading("ENV-2", 4, 4, "R01"), Reading("ENV-2", 400, 400, "R01")],
            CancellationToken.None);

        var latest = await Store.LatestAsync(new LatestQuery("env-sensor", T0, T0.AddMinutes(5)), CancellationToken.None);

        Assert.Equal(
            [("ENV-1", "R01", 9.0, Ns(T0.AddSeconds(9))), ("ENV-1", "R02", 5.0, Ns(T0.AddSeconds(5))), ("ENV-2", "R01", 4.0, Ns(T0.AddSeconds(4)))],
            latest.Select(p => (p.GetTag("device"), p.GetTag("rack"), p.GetField("temp_c")!.Value.AsDouble(), p.TimestampNs)));
        Assert.All(latest, p => Assert.Equal("7.2", p.GetField("fw")!.Value.AsString()));
    }

    [Fact]
    public async Task Latest_WithFields_ReturnsOnlyThoseFromTheNewestPointHavingOne()
    {
        Point Ups(int second, params Field[] fields) => new("ups", [new("site", "dc-tinh"), new("device", "UPS-1")], fields, Ns(T0.AddSeconds(second)));
        await Store.WriteAsync(
            [
                Ups(1, new Field("load_pct", FieldValue.Float(40)), new Field("battery_pct", FieldValue.Integer(90))),
                Ups(2, new Field("battery_pct", FieldValue.Integer(80))),
                Ups(3, new Field("mode", FieldValue.String("online"))),
            ],
            CancellationToken.None);

        var battery = Assert.Single(await Store.LatestAsync(new LatestQuery("ups", T0, T0.AddMinutes(1)) { Fields = ["battery_pct"] }, CancellationToken.None));
        var load = Assert.Single(await Store.LatestAsync(new LatestQuery("ups", T0, T0.AddMinutes(1)) { Fields = ["load_pct"] }, CancellationToken.None));
        var any = Assert.Single(await Store.LatestAsync(new LatestQuery("ups", T0, T0.AddMinutes(1)), CancellationToken.None));

        Assert.Equal(Ns(T0.AddSeconds(2)), battery.TimestampNs);
        Assert.Equal(80, battery.GetField("battery_pct")!.Value.AsInteger());
        Assert.Equal(["battery_pct"], battery.Fields.Select(f => f.Key));
        Assert.Equal(40, load.GetField("load_pct")!.Value.AsDouble());
        Assert.Equal(Ns(T0.AddSeconds(1)), load.TimestampNs);
        Assert.Equal("online", any.GetField("mode")!.Value.AsString());
    }

    [Fact]
    public async Task Latest_LimitAndDeviceFilter_AreApplied()
    {
        await Store.WriteAsync([.. Enumerable.Range(1, 5).SelectMany(i => new[] { Status("xa-1", "wifi-ap", $"AP-{i}", 1), Status("xa-1", "wifi-ap", $"AP-{i}", 2) })], CancellationToken.None);

        var limited = await Store.LatestAsync(new LatestQuery("status", T0, T0.AddMinutes(1)) { Limit = 2 }, CancellationToken.None);
        var one = await Store.LatestAsync(new LatestQuery("status", T0, T0.AddMinutes(1)) { Tags = new Dictionary<string, string> { ["device"] = "AP-4" } }, CancellationToken.None);
        var before = await Store.LatestAsync(new LatestQuery("status", T0.AddMinutes(-5), T0), CancellationToken.None);

        Assert.Equal(["AP-1", "AP-2"], limited.Select(p => p.GetTag("device")));
        Assert.All(limited, p => Assert.Equal(Ns(T0.AddSeconds(2)), p.TimestampNs));
        Assert.Equal("AP-4", Assert.Single(one).GetTag("device"));
        Assert.Empty(before);
    }
}
