using System.Text.Json;
using CsCheck;
using Ioc.Collector.Snmp;
using Ioc.Contract;

namespace Ioc.Collector.Tests.Snmp;

public class SnmpParsingTests
{
    private static readonly MessageDecoder Decoder = new(new ContractOptions());

    [Fact]
    public void ReadUps_OnBatteryOutputSource_SetsOnBatteryAndTheUpsMetrics()
    {
        var values = SnmpProfiles.ParseValues("""
            .1.3.6.1.2.1.33.1.2.3.0 = 20
            .1.3.6.1.2.1.33.1.2.4.0 = 80
            .1.3.6.1.2.1.33.1.4.1.0 = 5
            .1.3.6.1.2.1.33.1.4.4.1.5.1 = No Such Instance currently exists at this OID
            """);

        var reading = SnmpProfiles.ReadUps(values)!;

        Assert.Equal(80.0, reading.Metrics["battery_pct"]);
        Assert.Equal(20.0, reading.Metrics["runtime_min"]);
        Assert.Equal(true, reading.Metrics["on_battery"]);
        Assert.False(reading.Metrics.ContainsKey("load_pct"));
    }

    [Fact]
    public void ReadInterfaces_Columns_BecomeOneTaggedReadingPerInterface()
    {
        var values = SnmpProfiles.ParseValues("""
            .1.3.6.1.2.1.2.2.1.2.1 = "lo"
            .1.3.6.1.2.1.2.2.1.2.2 = "Gi1/0/1"
            .1.3.6.1.2.1.2.2.1.8.1 = 1
            .1.3.6.1.2.1.2.2.1.8.2 = 2
            .1.3.6.1.2.1.31.1.1.1.6.2 = 123456789012
            """);

        var readings = SnmpProfiles.ReadInterfaces(values);

        Assert.Equal(2, readings.Count);
        Assert.Equal("Gi1/0/1", readings[1].Tags["interface"]);
        Assert.Equal(false, readings[1].Metrics["if_up"]);
        Assert.Equal(123456789012.0, readings[1].Metrics["if_in_octets"]);
        var payload = SnmpPollerService.Payload(readings[1], DateTimeOffset.UtcNow);
        Assert.True(Decoder.Decode("ioc/v1/dc-tinh/switch/SW-01/telemetry", payload, DateTimeOffset.UtcNow).IsAccepted);
    }

    [Fact]
    public void ParseTrap_SnmptrapdLine_ReadsSourceOidAndBindings()
    {
        var trap = SnmpTrap.Parse("TRAP UDP: [10.0.0.4]:53192->[127.0.0.1]:162\t.1.3.6.1.2.1.1.3.0 = 1295484\t.1.3.6.1.6.3.1.1.4.1.0 = .1.3.6.1.6.3.1.1.5.3\t.1.3.6.1.2.1.2.2.1.2.2 = \"eth0 uplink\"")!;

        Assert.Equal("10.0.0.4", trap.Source.ToString());
        Assert.Equal(53192, trap.Port);
        Assert.Equal("1.3.6.1.6.3.1.1.5.3", trap.TrapOid);
        using var json = JsonDocument.Parse(trap.ToEventPayload(DateTimeOffset.UtcNow));
        Assert.Equal("link_down", json.RootElement.GetProperty("type").GetString());
        Assert.Equal("eth0 uplink", json.RootElement.GetProperty("attrs").GetProperty("interface").GetString());
    }

    [Fact]
    public void ParseTrap_AnyLine_IsATrapTheContractAcceptsOrNull() =>
        Gen.String[Gen.OneOf(Gen.Char[' ', '~'], Gen.Const('\t'), Gen.Const('ư')), 0, 200].Select(s => "TRAP UDP: [127.0.0.1]:1->[127.0.0.1]:162\t" + s).Sample(
            line =>
            {
                var trap = SnmpTrap.Parse(line);
                return trap is null || Decoder.Decode("ioc/v1/dc-tinh/ups/UPS-01/event", trap.ToEventPayload(DateTimeOffset.UtcNow), DateTimeOffset.UtcNow).IsAccepted;
            },
            iter: 5_000);
}
