using System.Text;
using Ioc.Collector.Syslog;

namespace Ioc.Collector.Tests.Syslog;

public class SyslogParserTests
{
    private static SyslogParseResult Parse(string text) => SyslogParser.Parse(Encoding.UTF8.GetBytes(text));

    private static SyslogMessage Accepted(string text)
    {
        var result = Parse(text);
        Assert.True(result.IsAccepted, $"{text}: {result.Reason.Name()} {result.Detail}");
        return result.Message!;
    }

    [Fact]
    public void Parse_Rfc5424FromLogger_ReadsEveryHeaderFieldAndStructuredData()
    {
        var message = Accepted("<13>1 2026-12-01T08:30:00.123456+07:00 fw-edge-01 sshd 4242 ID47 [timeQuality tzKnown=\"1\" isSynced=\"0\"][ioc@32473 user=\"admin\" src_ip=\"203.0.113.7\"] Failed password for admin");

        Assert.Equal(SyslogFormat.Rfc5424, message.Format);
        Assert.Equal(1, message.Facility);
        Assert.Equal(5, message.Severity);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 1, 30, 0, TimeSpan.Zero).AddTicks(1234560), message.Timestamp);
        Assert.Equal("fw-edge-01", message.Hostname);
        Assert.Equal("sshd", message.AppName);
        Assert.Equal("4242", message.ProcId);
        Assert.Equal("ID47", message.MsgId);
        Assert.Equal(2, message.StructuredData.Count);
        Assert.Equal("ioc@32473", message.StructuredData[1].Id);
        Assert.Equal(new KeyValuePair<string, string>("src_ip", "203.0.113.7"), message.StructuredData[1].Parameters[1]);
        Assert.Equal("Failed password for admin", message.Message);
    }

    [Fact]
    public void Parse_Rfc5424NilValuesEscapesAndBom_AreRead()
    {
        var message = Accepted("<165>1 - - - - - [x a=\"q\\\"b\\]c\\\\d\\e\"] \uFEFFXin chào, Hải Dương");

        Assert.Null(message.Timestamp);
        Assert.Null(message.Hostname);
        Assert.Null(message.AppName);
        Assert.Equal("q\"b]c\\d\\e", message.StructuredData[0].Parameters[0].Value);
        Assert.Equal("Xin chào, Hải Dương", message.Message);
        Assert.Equal(20, message.Facility);
        Assert.Equal(5, message.Severity);
    }

    [Fact]
    public void Parse_Rfc5424WithoutMessage_IsAccepted()
    {
        Assert.Equal(string.Empty, Accepted("<13>1 2026-12-01T00:00:00Z host app - - -").Message);
        Assert.Equal(string.Empty, Accepted("<13>1 2026-12-01T00:00:00Z host app - -").Message);
    }

    [Theory]
    [InlineData("", SyslogRejectReason.Empty)]
    [InlineData(" \r\n", SyslogRejectReason.Empty)]
    [InlineData("<192>hello", SyslogRejectReason.BadPri)]
    [InlineData("<>hello", SyslogRejectReason.BadPri)]
    [InlineData("<01>hello", SyslogRejectReason.BadPri)]
    [InlineData("<1a>hello", SyslogRejectReason.BadPri)]
    [InlineData("<13hello", SyslogRejectReason.BadPri)]
    [InlineData("<13>2 2026-12-01T00:00:00Z h a p m - x", SyslogRejectReason.BadVersion)]
    [InlineData("<13>1 2026-12-01T00:00:00 h a p m - x", SyslogRejectReason.BadTimestamp)]
    [InlineData("<13>1 2026-13-01T00:00:00Z h a p m - x", SyslogRejectReason.BadTimestamp)]
    [InlineData("<13>1 2026-12-01T00:00:00Z h", SyslogRejectReason.BadHeader)]
    [InlineData("<13>1 2026-12-01T00:00:00Z h a p 123456789012345678901234567890123 - x", SyslogRejectReason.BadHeader)]
    [InlineData("<13>1 2026-12-01T00:00:00Z h a p m [x a=\"b\" x", SyslogRejectReason.BadStructuredData)]
    [InlineData("<13>1 2026-12-01T00:00:00Z h a p m [x a=b] x", SyslogRejectReason.BadStructuredData)]
    [InlineData("<13>1 2026-12-01T00:00:00Z h a p m x", SyslogRejectReason.BadStructuredData)]
    [InlineData("<13>1 2026-12-01T00:00:00Z h a p m [x]x", SyslogRejectReason.BadStructuredData)]
    public void Parse_Malformed_IsRefusedWithItsReason(string text, SyslogRejectReason reason)
    {
        var result = Parse(text);

        Assert.False(result.IsAccepted);
        Assert.Equal(reason, result.Reason);
        Assert.NotEmpty(result.Detail);
    }

    [Fact]
    public void Parse_TooLong_IsRefused()
    {
        var result = SyslogParser.Parse(new byte[600], maxBytes: 512);

        Assert.Equal(SyslogRejectReason.TooLong, result.Reason);
    }

    [Fact]
    public void Parse_FortiGateWithoutHeader_KeepsTheKeyValueBody()
    {
        var message = Accepted("<185>date=2026-12-01 time=08:30:00 devname=\"FG-EDGE\" devid=\"FGT60F\" logid=\"0100032002\" type=\"event\" subtype=\"system\" level=\"alert\"");

        Assert.Equal(SyslogFormat.Rfc3164, message.Format);
        Assert.Equal(23, message.Facility);
        Assert.Equal(1, message.Severity);
        Assert.Null(message.Hostname);
        Assert.Null(message.AppName);
        Assert.StartsWith("date=2026-12-01 time=08:30:00 devname=", message.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BsdHeader_ReadsTimestampHostnameAndTag()
    {
        var message = Accepted("<38>Dec  1 08:30:00 web-01 sshd[991]: Failed password for root from 198.51.100.4 port 50022 ssh2");

        Assert.Equal("Dec  1 08:30:00", message.DeviceTime);
        Assert.Null(message.Timestamp);
        Assert.Equal("web-01", message.Hostname);
        Assert.Equal("sshd", message.AppName);
        Assert.Equal("991", message.ProcId);
        Assert.Equal("Failed password for root from 198.51.100.4 port 50022 ssh2", message.Message);
    }

    [Fact]
    public void Parse_BsdHeaderWithoutHostname_TakesTheTag()
    {
        var message = Accepted("<13>Dec 11 08:30:00 logger: hello");

        Assert.Null(message.Hostname);
        Assert.Equal("logger", message.AppName);
        Assert.Equal("hello", message.Message);
    }

    [Fact]
    public void Parse_CiscoSequenceAndUnsyncedTimestamp_KeepsTheMnemonicInTheMessage()
    {
        var message = Accepted("<187>000123: *Mar  1 18:46:11.123: %LINK-3-UPDOWN: Interface GigabitEthernet1/0/1, changed state to down");

        Assert.Equal(3, message.Severity);
        Assert.Contains("%LINK-3-UPDOWN: Interface GigabitEthernet1/0/1", message.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CiscoWithTimestampFirst_ReadsIt()
    {
        var message = Accepted("<189>Mar  1 2026 18:46:11.123: %SYS-5-CONFIG_I: Configured from console by admin on vty0 (10.0.0.5)");

        Assert.Equal("Mar  1 2026 18:46:11.123", message.DeviceTime);
        Assert.StartsWith("%SYS-5-CONFIG_I:", message.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Rfc3339InBsdHeader_IsTheTimestamp()
    {
        var message = Accepted("<30>2026-12-01T08:30:00.5+07:00 pfsense filterlog[123]: 5,,,1000000103,igb1,match,block,in");

        Assert.Equal(new DateTimeOffset(2026, 12, 1, 1, 30, 0, 500, TimeSpan.Zero), message.Timestamp);
        Assert.Equal("pfsense", message.Hostname);
        Assert.Equal("filterlog", message.AppName);
    }

    [Fact]
    public void Parse_WithoutPri_IsUserNotice()
    {
        var message = Accepted("just text");

        Assert.Equal(1, message.Facility);
        Assert.Equal(5, message.Severity);
        Assert.Equal("just text", message.Message);
    }

    [Fact]
    public void Parse_InvalidUtf8InTheMessage_IsReplacedNotRefused()
    {
        var bytes = Encoding.ASCII.GetBytes("<13>1 - - - - - - caf").Concat(new byte[] { 0xE9, 0xFF }).ToArray();

        var result = SyslogParser.Parse(bytes);

        Assert.True(result.IsAccepted);
        Assert.Equal("caf\uFFFD\uFFFD", result.Message!.Message);
    }
}
