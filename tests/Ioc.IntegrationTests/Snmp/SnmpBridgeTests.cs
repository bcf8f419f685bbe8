using System.Globalization;
using Ioc.IntegrationTests.Infrastructure;
using Ioc.IntegrationTests.Syslog;

namespace Ioc.IntegrationTests.Snmp;

/// <summary>
/// Real Debian snmpd (the simulators' UPS/PDU pass script, its own IF-MIB) polled by the collector's SNMP bridge over
/// v3 authPriv and v2c, and real snmptrap sending v2c and v3 traps to the snmptrapd the collector runs; telemetry and
/// events stored in InfluxDB 1.6.7 and evaluated by the shipped rules.
/// </summary>
[Collection(InfluxCollection.Name)]
public sealed class SnmpBridgeTests(InfluxFixture influx) : IAsyncLifetime
{
    private const string EngineId = "0x8000000001020304";
    private readonly string _database = "snmp_" + Guid.NewGuid().ToString("N")[..8];
    private MosquittoBroker _broker = null!;
    private SnmpAgent _agent = null!;
    private SyslogCollectorHost _collector = null!;
    private int _trapPort;

    public async Task InitializeAsync()
    {
        _broker = await MosquittoBroker.StartAsync();
        _agent = await SnmpAgent.StartAsync("127.0.0.1", "127.0.0.4");
        _trapPort = FreePort.NextUdp();
        var port = _agent.Port.ToString(CultureInfo.InvariantCulture);
        _collector = new SyslogCollectorHost(_broker.Port, influx.Server, _database, new Dictionary<string, string?>
        {
            ["Ioc:Snmp:Targets:ups:Device"] = "dc-tinh/ups/UPS-01",
            ["Ioc:Snmp:Targets:ups:Address"] = $"127.0.0.1:{port}",
            ["Ioc:Snmp:Targets:ups:Version"] = "3",
            ["Ioc:Snmp:Targets:ups:User"] = SnmpAgent.User,
            ["Ioc:Snmp:Targets:ups:AuthPassword"] = SnmpAgent.AuthPassword,
            ["Ioc:Snmp:Targets:ups:PrivPassword"] = SnmpAgent.PrivPassword,
            ["Ioc:Snmp:Targets:ups:Profiles:0"] = "ups",
            ["Ioc:Snmp:Targets:ups:Profiles:1"] = "pdu",
            ["Ioc:Snmp:Targets:ups:Interval"] = "00:00:01",
            ["Ioc:Snmp:Targets:sw:Device"] = "dc-tinh/switch/SW-01",
            ["Ioc:Snmp:Targets:sw:Address"] = $"127.0.0.4:{port}",
            ["Ioc:Snmp:Targets:sw:Version"] = "2c",
            ["Ioc:Snmp:Targets:sw:Community"] = SnmpAgent.Community,
            ["Ioc:Snmp:Targets:sw:Profiles:0"] = "interfaces",
            ["Ioc:Snmp:Targets:sw:Walk:0"] = "1.3.6.1.2.1.1.3",
            ["Ioc:Snmp:Targets:sw:Interval"] = "00:00:01",
            ["Ioc:Snmp:Traps"] = $"127.0.0.1:{_trapPort}",
            ["Ioc:Snmp:TrapCommunity"] = "trap-community",
            ["Ioc:Snmp:TrapUsers:0:User"] = "trapuser",
            ["Ioc:Snmp:TrapUsers:0:EngineId"] = EngineId,
            ["Ioc:Snmp:TrapUsers:0:AuthPassword"] = "trap-auth-secret",
            ["Ioc:Snmp:TrapUsers:0:PrivPassword"] = "trap-priv-secret",
        });
        await _collector.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _collector.DisposeAsync();
        await _agent.DisposeAsync();
        await _broker.DisposeAsync();
    }

    private Task<long> CountAsync(string query) => influx.Server.CountAsync(_database, query);

    [Fact]
    public async Task Polling_UpsOverV3AndInterfacesOverV2c_IsStoredAndOnBatteryRaisesTheShippedRule()
    {
        await Wait.UntilAsync(async () => await CountAsync("SELECT COUNT(battery_pct) FROM \"ups\" WHERE \"device\"='UPS-01'") > 0, TimeSpan.FromSeconds(20), "UPS telemetry stored");
        var ups = (await influx.Server.QueryAsync(_database, "SELECT LAST(battery_pct), LAST(runtime_min), LAST(current_a), LAST(on_battery) FROM \"ups\" WHERE \"device\"='UPS-01'")).GetProperty("series")[0].GetProperty("values")[0];
        Assert.Equal(100, ups[1].GetDouble());
        Assert.Equal(42, ups[2].GetDouble());
        Assert.Equal(6.4, ups[3].GetDouble(), 3);
        Assert.False(ups[4].GetBoolean());

        await Wait.UntilAsync(async () => await CountAsync("SELECT COUNT(if_in_octets) FROM \"switch\" WHERE \"device\"='SW-01' AND \"interface\"='lo'") > 0, TimeSpan.FromSeconds(20), "interface counters stored");
        var lo = (await influx.Server.QueryAsync(_database, "SELECT LAST(if_up), LAST(if_in_octets) FROM \"switch\" WHERE \"interface\"='lo'")).GetProperty("series")[0].GetProperty("values")[0];
        Assert.True(lo[1].GetBoolean());
        Assert.True(lo[2].GetDouble() > 0);
        await Wait.UntilAsync(async () => await CountAsync("SELECT COUNT(\"oid.1.3.6.1.2.1.1.3.0\") FROM \"switch\" WHERE \"device\"='SW-01'") > 0, TimeSpan.FromSeconds(20), "generic walk stored");

        // Mains lost: upsOutputSource battery(5).
        await _agent.SetStateAsync("SOURCE=5 SECONDS=30 CHARGE=80 RUNTIME=20");
        await Wait.UntilAsync(async () => (await _collector.OpenAlertsAsync()).Any(a => a.RuleId == "ups-on-battery" && a.DeviceId == "UPS-01"), TimeSpan.FromSeconds(30), "ups-on-battery alert");
        var snmp = _collector.Snapshot.Snmp!;
        Assert.Contains(snmp.Devices, d => d.Device == "dc-tinh/ups/UPS-01" && d.Polls > 0 && d.LastError is null);
    }

    [Fact]
    public async Task Traps_V2cAndV3FromPolledDevicesAreEvents_UnknownTrapsKeepTheirOid_UnknownSourcesAreDeadLettered()
    {
        await Wait.UntilAsync(() => _collector.Snapshot.Snmp!.TrapReceiverRunning, TimeSpan.FromSeconds(10), "snmptrapd running");
        var target = $"127.0.0.1:{_trapPort}";

        // Each trap is sent until the receiver has it: snmptrapd may still be binding its port.
        await SendUntilAsync(["--clientaddr=127.0.0.4", "-v2c", "-c", "trap-community", target, string.Empty, "1.3.6.1.6.3.1.1.5.3", "1.3.6.1.2.1.2.2.1.1.2", "i", "2", "1.3.6.1.2.1.2.2.1.2.2", "s", "GigabitEthernet1/0/2", "1.3.6.1.2.1.2.2.1.8.2", "i", "2"], 1);
        await SendUntilAsync(["--clientaddr=127.0.0.1", "-v3", "-e", EngineId, "-l", "authPriv", "-u", "trapuser", "-a", "SHA", "-A", "trap-auth-secret", "-x", "AES", "-X", "trap-priv-secret", target, string.Empty, "1.3.6.1.4.1.99999.0.7", "1.3.6.1.4.1.99999.1", "s", "vendor specific"], 2);
        await SendUntilAsync(["--clientaddr=127.0.0.9", "-v2c", "-c", "trap-community", target, string.Empty, "1.3.6.1.6.3.1.1.5.1"], 3);

        await Wait.UntilAsync(async () => await CountAsync("SELECT COUNT(message) FROM \"event\" WHERE \"device\"='SW-01' AND \"type\"='link_down'") == 1, TimeSpan.FromSeconds(15), "link_down event");
        var linkDown = (await influx.Server.QueryAsync(_database, "SELECT \"interface\", \"trap_oid\", \"sender\" FROM \"event\" WHERE \"type\"='link_down'")).GetProperty("series")[0].GetProperty("values")[0];
        Assert.Equal("GigabitEthernet1/0/2", linkDown[1].GetString());
        Assert.Equal("1.3.6.1.6.3.1.1.5.3", linkDown[2].GetString());
        Assert.StartsWith("127.0.0.4:", linkDown[3].GetString(), StringComparison.Ordinal);

        await Wait.UntilAsync(async () => await CountAsync("SELECT COUNT(message) FROM \"event\" WHERE \"device\"='UPS-01' AND \"type\"='snmp_trap'") == 1, TimeSpan.FromSeconds(15), "unknown trap kept as snmp_trap");
        var unknown = (await influx.Server.QueryAsync(_database, "SELECT \"trap_oid\", \"oid.1.3.6.1.4.1.99999.1\" FROM \"event\" WHERE \"type\"='snmp_trap'")).GetProperty("series")[0].GetProperty("values")[0];
        Assert.Equal("1.3.6.1.4.1.99999.0.7", unknown[1].GetString());
        Assert.Equal("vendor specific", unknown[2].GetString());

        await Wait.UntilAsync(async () => (await _collector.DeadLetters.ListAsync(10, "unknown_sender", CancellationToken.None)).Count == 1, TimeSpan.FromSeconds(15), "trap from an unknown source dead-lettered");
        var letter = (await _collector.DeadLetters.ListAsync(10, "unknown_sender", CancellationToken.None)).Single();
        Assert.StartsWith("snmp-trap/udp/127.0.0.9:", letter.Topic, StringComparison.Ordinal);
        Assert.Contains("1.3.6.1.6.3.1.1.5.1", letter.Detail, StringComparison.Ordinal);
    }

    private async Task SendUntilAsync(string[] arguments, long traps)
    {
        await Wait.UntilAsync(
            async () =>
            {
                if (_collector.Snapshot.Snmp!.Traps >= traps)
                {
                    return true;
                }

                await Tool.RunAsync("snmptrap", ["-m", string.Empty, .. arguments]);
                for (var i = 0; i < 20 && _collector.Snapshot.Snmp!.Traps < traps; i++)
                {
                    await Task.Delay(50);
                }

                return _collector.Snapshot.Snmp!.Traps >= traps;
            },
            TimeSpan.FromSeconds(15),
            $"trap {traps} received");
    }
}
