using System.Text;
using Ioc.Contract;
using Ioc.Contract.Model;

namespace Ioc.Contract.Tests;

public class FieldSchemaTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);
    private readonly MessageDecoder _decoder = new(new ContractOptions());

    private DecodeResult Decode(string topic, string payload) => _decoder.Decode(topic, Encoding.UTF8.GetBytes(payload), Now);

    [Theory]
    [InlineData("""{"metrics": {"temp_c": "hot"}}""", "temp_c' must be a number, not a string")]
    [InlineData("""{"metrics": {"on_battery": 1}}""", "on_battery' must be a boolean, not a number")]
    [InlineData("""{"metrics": {"fw": 7.2}}""", "fw' must be a string, not a number")]
    [InlineData("""{"metrics": {"mode:str": 3}}""", "must be a string (its name ends in ':str'), not a number")]
    [InlineData("""{"metrics": {"x:bool": "yes"}}""", "must be a boolean")]
    public void Decode_ValueOfAnotherTypeThanTheNameFixes_IsBadMetricType(string payload, string detail)
    {
        var result = Decode("ioc/v1/dc-tinh/env-sensor/ENV-01/telemetry", payload);

        Assert.Equal(RejectReason.BadMetricType, result.Rejection?.Reason);
        Assert.Contains(detail, result.Rejection!.Detail, StringComparison.Ordinal);
        Assert.Equal("bad_metric_type", RejectReason.BadMetricType.Name());
    }

    [Fact]
    public void Decode_UndeclaredMetrics_StoredUnderKindSuffixes_NumbersUnderTheirName()
    {
        var result = Decode("ioc/v1/dc-tinh/env-sensor/ENV-01/telemetry", """{"metrics": {"airflow": 3.5, "mode": "eco", "alarm": true, "mode:str2": 1}}""");

        Assert.True(result.IsAccepted, result.Rejection?.ToString());
        var point = Assert.Single(result.Message!.Points);
        Assert.Equal(FieldKind.Float, point.GetField("airflow")!.Value.Kind);
        Assert.Equal("eco", point.GetField("mode:str")!.Value.AsString());
        Assert.True(point.GetField("alarm:bool")!.Value.AsBoolean());
        Assert.Null(point.GetField("mode"));
    }

    [Fact]
    public void Decode_LineProtocolIntegers_DeclaredKeepTheirName_UndeclaredGetIntSuffix_DeclaredNumbersBecomeFloats()
    {
        var ns = Now.ToUnixTimeMilliseconds() * 1_000_000;
        var result = Decode("ioc/v1/dc-tinh/server/SRV-01/telemetry", $"disk free=12i,used_percent=5i,handles=7u {ns}\n");

        Assert.True(result.IsAccepted, result.Rejection?.ToString());
        var point = Assert.Single(result.Message!.Points);
        Assert.Equal(FieldKind.Integer, point.GetField("free")!.Value.Kind);
        Assert.Equal(FieldKind.Float, point.GetField("used_percent")!.Value.Kind);
        Assert.Equal(7, point.GetField("handles:int")!.Value.AsInteger());
    }

    [Fact]
    public void Decode_SuffixingMakesTwoFieldsShareAName_IsBadMetricName()
    {
        var result = Decode("ioc/v1/dc-tinh/env-sensor/ENV-01/telemetry", """{"metrics": {"mode": "eco", "mode:str": "x"}}""");

        Assert.Equal(RejectReason.BadMetricName, result.Rejection?.Reason);
    }

    [Fact]
    public void Decode_DeploymentDeclaresAMetric_ItKeepsItsBareName()
    {
        var decoder = new MessageDecoder(new ContractOptions { Metrics = { ["mode"] = MetricType.String } });

        var result = decoder.Decode("ioc/v1/dc-tinh/env-sensor/ENV-01/telemetry", Encoding.UTF8.GetBytes("""{"metrics": {"mode": "eco"}}"""), Now);

        Assert.Equal("eco", Assert.Single(result.Message!.Points).GetField("mode")!.Value.AsString());
        Assert.Equal(RejectReason.BadMetricType, decoder.Decode("ioc/v1/dc-tinh/env-sensor/ENV-01/telemetry", Encoding.UTF8.GetBytes("""{"metrics": {"mode": 1}}"""), Now).Rejection?.Reason);
    }
}
