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
}
