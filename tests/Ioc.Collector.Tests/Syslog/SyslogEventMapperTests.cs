using System.Text;
using System.Text.Json;
using Ioc.Collector.Syslog;
using Ioc.Contract;
using Ioc.Contract.Model;

namespace Ioc.Collector.Tests.Syslog;

public class SyslogEventMapperTests
{
    private static readonly SyslogEventMapper Mapper = new(new ContractOptions());
    private static readonly MessageDecoder Decoder = new(new ContractOptions());

    private static SyslogEvent Map(string text)
    {
        var parsed = SyslogParser.Parse(Encoding.UTF8.GetBytes(text));
        Assert.True(parsed.IsAccepted, parsed.Detail);
        return Mapper.Map(parsed.Message!, "udp://192.0.2.10:5140", "udp");
    }

    private static string? Attribute(SyslogEvent e, string key) => e.Attributes.FirstOrDefault(a => a.Key == key).Value;

    [Fact]
    public void Map_FortiGateAdminLoginFailure_IsAuthFailureWithSourceAddress()
    {
        var e = Map("<185>date=2026-12-01 time=08:30:00 devname=\"FG-EDGE\" devid=\"FGT60F0000000001\" logid=\"0100032002\" type=\"event\" subtype=\"system\" level=\"alert\" vd=\"root\" logdesc=\"Admin login failed\" sn=\"0\" user=\"admin\" ui=\"https(203.0.113.7)\" method=\"https\" srcip=203.0.113.7 dstip=10.0.0.1 action=\"login\" status=\"failed\" reason=\"passwd_invalid\" msg=\"Administrator admin login failed from https(203.0.113.7) because of invalid password\"");

        Assert.Equal("auth_failure", e.Type);
        Assert.Equal("critical", e.Severity);
        Assert.Equal("Administrator admin login failed from https(203.0.113.7) because of invalid password", e.Message);
        Assert.Equal("203.0.113.7", Attribute(e, "src_ip"));
        Assert.Equal("admin", Attribute(e, "user"));
        Assert.Equal("event", Attribute(e, "log_type"));
        Assert.Equal("fortinet", Attribute(e, "vendor"));
        Assert.Equal("udp://192.0.2.10:5140", Attribute(e, "sender"));
    }

    [Fact]
    public void Map_OldFortiOsLoginFailure_TakesTheSourceFromUi()
    {
        var e = Map("<185>date=2026-12-01 time=08:30:00 devname=FG logid=0100032002 type=event subtype=system user=admin ui=https(198.51.100.9) action=login status=failed");

        Assert.Equal("auth_failure", e.Type);
        Assert.Equal("198.51.100.9", Attribute(e, "src_ip"));
    }

    [Fact]
    public void Map_FortiGateAnomaly_IsDdosSuspected()
    {
        var e = Map("<185>date=2026-12-01 time=08:30:00 devname=\"FG-EDGE\" logid=\"0720018432\" type=\"anomaly\" subtype=\"anomaly\" level=\"alert\" attack=\"udp_flood\" srcip=198.51.100.1 dstip=203.0.113.80 action=\"clear_session\" msg=\"anomaly: udp_flood, 50000 > threshold 2000\"");

        Assert.Equal("ddos_suspected", e.Type);
        Assert.Equal("203.0.113.80", Attribute(e, "dst_ip"));
    }

    [Fact]
    public void Map_FortiGateOtherLog_IsNamedByTypeAndSubtype()
    {
        var e = Map("<189>date=2026-12-01 time=08:30:00 devname=FG logid=0000000013 type=traffic subtype=forward action=accept");

        Assert.Equal("fortigate.traffic.forward", e.Type);
        Assert.Equal("info", e.Severity);
    }

    [Fact]
    public void Map_CiscoLinkDown_IsLinkDownWithInterface()
    {
        var e = Map("<187>000123: *Mar  1 18:46:11.123: %LINK-3-UPDOWN: Interface GigabitEthernet1/0/1, changed state to down");

        Assert.Equal("link_down", e.Type);
        Assert.Equal("major", e.Severity);
        Assert.Equal("GigabitEthernet1/0/1", Attribute(e, "interface"));
        Assert.Equal("LINK-3-UPDOWN", Attribute(e, "mnemonic"));
    }

    [Fact]
    public void Map_CiscoLoginFailure_IsAuthFailureWithUserAndSource()
    {
        var e = Map("<188>52: sw-core-01: *Dec  1 08:30:00: %SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: admin] [Source: 203.0.113.50] [localport: 22] [Reason: Login Authentication Failed] at 08:30:00 ICT Tue Dec 1 2026");

        Assert.Equal("auth_failure", e.Type);
        Assert.Equal("admin", Attribute(e, "user"));
        Assert.Equal("203.0.113.50", Attribute(e, "src_ip"));
    }

    [Fact]
    public void Map_OtherCiscoMnemonic_IsNamedByFacilityAndMnemonic() =>
        Assert.Equal("cisco.sys.config_i", Map("<189>Mar  1 2026 18:46:11: %SYS-5-CONFIG_I: Configured from console by admin").Type);

    [Fact]
    public void Map_SshdFailure_IsAuthFailure()
    {
        var e = Map("<38>Dec  1 08:30:00 web-01 sshd[991]: Failed password for invalid user oracle from 198.51.100.4 port 50022 ssh2");

        Assert.Equal("auth_failure", e.Type);
        Assert.Equal("oracle", Attribute(e, "user"));
        Assert.Equal("198.51.100.4", Attribute(e, "src_ip"));
        Assert.Equal("web-01", Attribute(e, "reported_host"));
        Assert.Equal("sshd", Attribute(e, "app_name"));
    }

    [Fact]
    public void Map_PlainMessage_IsSyslogEventWithStructuredData()
    {
        var e = Map("<14>1 2026-12-01T08:30:00Z host app 1 m1 [meta@32473 zone=\"dmz\"] service restarted");

        Assert.Equal("syslog", e.Type);
        Assert.Equal("service restarted", e.Message);
        Assert.Equal("dmz", Attribute(e, "meta_32473.zone"));
        Assert.Equal("user", Attribute(e, "syslog_facility"));
        Assert.Equal("m1", Attribute(e, "msg_id"));
    }

    [Fact]
    public void Map_LongMessageAndValues_AreCutAndMarked()
    {
        var e = Map("<13>1 - h a - - [x v=\"" + new string('v', 1000) + "\"] " + new string('m', 5000));

        Assert.Equal(1024, e.Message.Length);
        Assert.Equal(256, Attribute(e, "x.v")!.Length);
        Assert.Equal("true", Attribute(e, "truncated"));
        Assert.Equal("5000", Attribute(e, "message_length"));
    }

    [Fact]
    public void ToPayload_IsAcceptedByTheContractAsTheSameEvent()
    {
        var e = Map("<185>date=2026-12-01 time=08:30:00 devname=FG logid=0100032002 type=event subtype=system user=admin srcip=203.0.113.7 action=login status=failed msg=\"Đăng nhập thất bại\"");
        var at = new DateTimeOffset(2026, 12, 1, 1, 30, 0, TimeSpan.Zero).AddTicks(1234567);

        var decoded = Decoder.Decode("ioc/v1/dc-tinh/firewall/FW-EDGE-01/event", SyslogEventMapper.ToPayload(e, at), at);

        Assert.True(decoded.IsAccepted, decoded.Rejection?.ToString());
        var deviceEvent = decoded.Message!.Event!;
        Assert.Equal("auth_failure", deviceEvent.Type);
        Assert.Equal(EventSeverity.Critical, deviceEvent.Severity);
        Assert.Equal("Đăng nhập thất bại", deviceEvent.Message);
        Assert.Equal("203.0.113.7", deviceEvent.Attributes["src_ip"]);
        Assert.Equal(at, deviceEvent.Timestamp);
        Assert.Equal(MessageDecoder.ToNs(at), decoded.Message.Points[0].TimestampNs);
    }

    [Fact]
    public void ToPayload_ReservedAndInvalidKeys_AreRenamed()
    {
        var e = Map("<13>date=1 devname=x logid=1 site=evil device=evil time=1 message=m severity=s 9lives=1");
        var json = JsonDocument.Parse(SyslogEventMapper.ToPayload(e, DateTimeOffset.UtcNow));
        var attrs = json.RootElement.GetProperty("attrs");

        Assert.Equal("evil", attrs.GetProperty("log_site").GetString());
        Assert.Equal("evil", attrs.GetProperty("log_device").GetString());
        Assert.True(attrs.TryGetProperty("log_time", out _));
        Assert.True(attrs.TryGetProperty("log_message", out _));
        Assert.True(attrs.TryGetProperty("log_severity", out _));
        Assert.True(attrs.TryGetProperty("_9lives", out _));
        Assert.False(attrs.TryGetProperty("site", out _));
    }
}
