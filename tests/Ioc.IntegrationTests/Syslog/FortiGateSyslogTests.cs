using System.Text;
using Ioc.Collector.Syslog;
using Ioc.Contract;
using Ioc.Simulators.Fleet;
using Ioc.Simulators.Syslog;

namespace Ioc.IntegrationTests.Syslog;

/// <summary>What the simulated firewalls send as syslog is read back by the collector as the event the scenario meant.</summary>
public class FortiGateSyslogTests
{
    private static readonly Device Firewall = new("FW-EDGE-01", "firewall", "dc-tinh", "tp-hai-duong", new Dictionary<string, string>());
    private static readonly SyslogEventMapper Mapper = new(new ContractOptions());

    private static SyslogEvent RoundTrip(string eventJson, DateTimeOffset at, out SyslogMessage message)
    {
        var line = FortiGateSyslog.Format(Firewall, at, Encoding.UTF8.GetBytes(eventJson));
        var parsed = SyslogParser.Parse(Encoding.UTF8.GetBytes(line));
        Assert.True(parsed.IsAccepted, parsed.Detail);
        message = parsed.Message!;
        return Mapper.Map(message, "tcp://127.1.0.1:40000", "tcp");
    }

    private static string? Attribute(SyslogEvent e, string key) => e.Attributes.FirstOrDefault(a => a.Key == key).Value;

    [Fact]
    public void BruteForceAttempt_IsReadBackAsAuthFailureFromTheSameSource()
    {
        var at = new DateTimeOffset(2026, 12, 1, 1, 30, 0, 250, TimeSpan.Zero);

        var e = RoundTrip("""{"type":"auth_failure","severity":"warning","message":"Failed password for admin","attrs":{"src_ip":"198.51.100.23","user":"admin","service":"ssh","src_port":"41234"}}""", at, out var message);

        Assert.Equal("auth_failure", e.Type);
        Assert.Equal("198.51.100.23", Attribute(e, "src_ip"));
        Assert.Equal("admin", Attribute(e, "user"));
        Assert.Equal("41234", Attribute(e, "src_port"));
        Assert.Equal("0100032002", Attribute(e, "logid"));
        Assert.Equal(at, message.Timestamp);
        Assert.Equal(SyslogFormat.Rfc5424, message.Format);
    }

    [Fact]
    public void VpnBruteForce_IsAnSslVpnLoginFailure() =>
        Assert.Equal("0101039426", Attribute(RoundTrip("""{"type":"auth_failure","severity":"warning","message":"x","attrs":{"src_ip":"203.0.113.1","user":"vpn","service":"sslvpn"}}""", DateTimeOffset.UtcNow, out _), "logid"));

    [Fact]
    public void Ddos_IsReadBackAsDdosSuspected()
    {
        var e = RoundTrip("""{"type":"ddos_suspected","severity":"critical","message":"Volumetric attack","attrs":{"target_ip":"203.0.113.80","factor":"8","vector":"udp_flood"}}""", DateTimeOffset.UtcNow, out _);

        Assert.Equal("ddos_suspected", e.Type);
        Assert.Equal("critical", e.Severity);
        Assert.Equal("203.0.113.80", Attribute(e, "dst_ip"));
        Assert.Equal("udp_flood", Attribute(e, "attack"));
    }
}
