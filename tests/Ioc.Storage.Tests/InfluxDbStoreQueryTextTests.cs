using Ioc.Storage.InfluxDb;

namespace Ioc.Storage.Tests;

/// <summary>The InfluxQL the store sends for the dashboard's reads: bounded, quoted, one statement.</summary>
public class InfluxDbStoreQueryTextTests
{
    private static readonly DateTimeOffset From = DateTimeOffset.UnixEpoch.AddHours(1);
    private static readonly Dictionary<string, string> Device = new() { ["device"] = "ENV-1" };

    [Fact]
    public void AggregateText_BucketsAlignedToEpoch_GroupsByTimeWithoutOffsetAndFillsNone()
    {
        var query = new AggregateQuery("env-sensor", "temp_c", From, From.AddHours(1), TimeSpan.FromSeconds(60))
        {
            Functions = [AggregateFunction.Min, AggregateFunction.Mean, AggregateFunction.Max, AggregateFunction.Count],
            Tags = Device,
        };

        var text = InfluxDbStore.AggregateText(query);

        Assert.Equal(
            "SELECT min(\"temp_c\"), mean(\"temp_c\"), max(\"temp_c\"), count(\"temp_c\") FROM \"env-sensor\" " +
            "WHERE time >= 3600000000000 AND time < 7200000000000 AND \"device\" = 'ENV-1' GROUP BY time(60s) fill(none) LIMIT 10000",
            text);
    }

    [Fact]
    public void AggregateText_FromNotOnABucketBoundary_OffsetsBucketsToStartAtFrom()
    {
        var from = From.AddSeconds(90).AddTicks(5);
        var query = new AggregateQuery("ups", "load_pct", from, from.AddHours(1), TimeSpan.FromMinutes(1)) { Functions = [AggregateFunction.Last] };

        var text = InfluxDbStore.AggregateText(query);

        Assert.Contains("GROUP BY time(60s, 30000000500ns) fill(none)", text, StringComparison.Ordinal);
        Assert.StartsWith("SELECT last(\"load_pct\") FROM \"ups\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void AggregateText_GroupByTags_QuotesThemAndBoundsSeriesWithSlimit()
    {
        var query = new AggregateQuery("env-sensor", "temp_c", From, From.AddHours(1), TimeSpan.FromMinutes(5))
        {
            Functions = [AggregateFunction.Sum],
            GroupBy = ["site", "we\"ird"],
            Limit = 50,
        };

        var text = InfluxDbStore.AggregateText(query);

        Assert.EndsWith("GROUP BY time(300s), \"site\", \"we\\\"ird\" fill(none) LIMIT 50 SLIMIT 50", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("' OR 1=1", @"'\' OR 1=1'")]
    [InlineData(@"R01\", @"'R01\\'")]
    [InlineData(@"\' OR ''='", @"'\\\' OR \'\'=\''")]
    public void Texts_HostileTagValue_StayOneQuotedLiteral(string value, string literal)
    {
        var tags = new Dictionary<string, string> { ["rack"] = value };

        var aggregate = InfluxDbStore.AggregateText(new AggregateQuery("m", "f", From, From.AddHours(1), TimeSpan.FromMinutes(1)) { Tags = tags });
        var series = InfluxDbStore.SeriesText(new SeriesQuery { Tags = tags }, 100, 0);
        var latest = InfluxDbStore.LatestText(new LatestQuery("m", From, From.AddHours(1)) { Tags = tags });

        Assert.Contains($"\"rack\" = {literal} GROUP BY", aggregate, StringComparison.Ordinal);
        Assert.Equal($"SHOW SERIES WHERE \"rack\" = {literal} LIMIT 100", series);
        Assert.Contains($"\"rack\" = {literal} GROUP BY *", latest, StringComparison.Ordinal);
    }

    [Fact]
    public void AggregateText_TooManyBuckets_Throws()
    {
        var query = new AggregateQuery("m", "f", From, From.AddDays(30), TimeSpan.FromSeconds(1));

        Assert.Throws<ArgumentException>(() => InfluxDbStore.AggregateText(query));
    }

    [Fact]
    public void SeriesText_MeasurementAndPage_FromAndOffset()
    {
        Assert.Equal("SHOW SERIES FROM \"wifi-ap\" LIMIT 10000 OFFSET 20000", InfluxDbStore.SeriesText(new SeriesQuery { Measurement = "wifi-ap" }, 10_000, 20_000));
    }

    [Fact]
    public void LatestText_Fields_SelectsThemNewestFirstOnePerSeries()
    {
        var query = new LatestQuery("status", From, From.AddHours(1)) { Fields = ["state", "online"], Tags = Device, Limit = 20 };

        Assert.Equal(
            "SELECT \"state\", \"online\" FROM \"status\" WHERE time >= 3600000000000 AND time < 7200000000000 AND \"device\" = 'ENV-1' " +
            "GROUP BY * ORDER BY time DESC LIMIT 1 SLIMIT 20",
            InfluxDbStore.LatestText(query));
        Assert.StartsWith("SELECT * FROM", InfluxDbStore.LatestText(query with { Fields = [] }), StringComparison.Ordinal);
    }

    [Fact]
    public void ParseSeriesKey_EscapedCommasSpacesAndEquals_AreUnescaped()
    {
        var series = InfluxDbStore.ParseSeriesKey(@"env\ sensor,device=ENV-1,rack=rack\,\ 3\ x\=1,site=a\=b\,c\=d");

        Assert.Equal("env sensor", series.Measurement);
        Assert.Equal(new Dictionary<string, string> { ["device"] = "ENV-1", ["rack"] = "rack, 3 x=1", ["site"] = "a=b,c=d" }, series.Tags);
    }

    [Fact]
    public void ParseSeriesKey_NoTags_IsJustTheMeasurement()
    {
        var series = InfluxDbStore.ParseSeriesKey("ups");

        Assert.Equal("ups", series.Measurement);
        Assert.Empty(series.Tags);
    }

    [Theory]
    [InlineData(600_000_000L, "60s")]
    [InlineData(15_000_000L, "1500ms")]
    [InlineData(2_500L, "250u")]
    [InlineData(5L, "500ns")]
    public void Duration_UsesTheLargestExactUnit(long ticks, string expected)
    {
        Assert.Equal(expected, InfluxQl.Duration(TimeSpan.FromTicks(ticks)));
    }
}
