using System.Text;
using Ioc.Contract;
using Ioc.Contract.Model;

namespace Ioc.Contract.Tests;

public class MessageDecoderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);
    private static readonly long NowMs = Now.ToUnixTimeMilliseconds();
    private readonly MessageDecoder _decoder = new(new ContractOptions());

    private DecodeResult Decode(string topic, string payload) => _decoder.Decode(topic, Encoding.UTF8.GetBytes(payload), Now);

    [Fact]
    public void Decode_JsonTelemetry_MapsMeasurementTagsAndFields()
    {
        var result = Decode("ioc/v1/dc-tinh/env-sensor/ENV-01/telemetry",
            """{"ts": """ + (NowMs) + """, "metrics": {"temp_c": 41.5, "if_up": true, "fw": "7.2"}, "tags": {"rack": "R03"}}""");

        Assert.True(result.IsAccepted, result.Rejection?.ToString());
        var point = Assert.Single(result.Message!.Points);
        Assert.Equal("env-sensor", point.Measurement);
        Assert.Equal(["device", "rack", "site"], point.Tags.Select(t => t.Key));
        Assert.Equal("ENV-01", point.GetTag("device"));
        Assert.Equal("dc-tinh", point.GetTag("site"));
        Assert.Equal(41.5, point.GetField("temp_c")!.Value.AsDouble());
        Assert.True(point.GetField("if_up")!.Value.AsBoolean());
        Assert.Equal("7.2", point.GetField("fw")!.Value.AsString());
        Assert.Equal(NowMs * 1_000_000, point.TimestampNs);
    }

    [Fact]
    public void Decode_ManyJsonMessagesOnOneThread_EachPointKeepsOnlyItsOwnTagsAndFields()
    {
        // The decoder gathers tags and fields in per-thread lists: nothing of one message may show in the next,
        // including after a message that was rejected half-way through its metrics.
        var first = Decode("ioc/v1/dc/env-sensor/E1/telemetry", """{"metrics":{"a":1,"b":2,"c":3},"tags":{"rack":"R1"}}""");
        var rejected = Decode("ioc/v1/dc/env-sensor/E2/telemetry", """{"metrics":{"x":1,"y":[1],"z":3},"tags":{"zone":"Z"}}""");
        var second = Decode("ioc/v1/dc/env-sensor/E3/telemetry", """{"metrics":{"d":4}}""");

        Assert.False(rejected.IsAccepted);
        var one = Assert.Single(first.Message!.Points);
        Assert.Equal(["a", "b", "c"], one.Fields.Select(f => f.Key));
        Assert.Equal(["device", "rack", "site"], one.Tags.Select(t => t.Key));
        var two = Assert.Single(second.Message!.Points);
        Assert.Equal(["d"], two.Fields.Select(f => f.Key));
        Assert.Equal(["device", "site"], two.Tags.Select(t => t.Key));
        Assert.Equal("E3", two.GetTag("device"));
    }

    [Fact]
    public void Decode_SecondMetricsObject_ReplacesTheFirst()
    {
        var result = Decode("ioc/v1/dc/env-sensor/E1/telemetry", """{"metrics":{"a":1,"b":2},"metrics":{"c":3}}""");

        var point = Assert.Single(result.Message!.Points);
        Assert.Equal(["c"], point.Fields.Select(f => f.Key));
    }

    [Fact]
    public void Decode_JsonTelemetry_AllocatesOnlyThePointsArraysAndWrappers()
    {
        // Four metrics over a warm name pool: 880 bytes per message when tags and fields went through fresh lists.
        var payload = Encoding.UTF8.GetBytes("""{"ts":""" + NowMs + ""","metrics":{"temp_c":24.5,"humidity_pct":60,"co2_ppm":410,"battery_pct":98}}""");
        for (var i = 0; i < 100; i++)
        {
            _decoder.Decode("ioc/v1/dc/env-sensor/E1/telemetry", payload, Now);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            _decoder.Decode("ioc/v1/dc/env-sensor/E1/telemetry", payload, Now);
        }

        var perMessage = (GC.GetAllocatedBytesForCurrentThread() - before) / 1_000.0;
        Assert.True(perMessage <= 600, $"{perMessage:F0} bytes allocated per message");
    }

    [Fact]
    public void Decode_Rfc3339Timestamp_IsAccepted()
    {
        var result = Decode("ioc/v1/dc-tinh/ups/UPS-1/telemetry", """{"ts": "2026-11-24T07:59:00+07:00", "metrics": {"load_pct": 40}}""");

        Assert.True(result.IsAccepted, result.Rejection?.ToString());
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 0, 59, 0, TimeSpan.Zero), result.Message!.Points[0].Timestamp);
    }

    [Fact]
    public void Decode_MissingTimestamp_UsesReceiveTime()
    {
        var result = Decode("ioc/v1/dc-tinh/ups/UPS-1/telemetry", """{"metrics": {"load_pct": 40}}""");

        Assert.Equal(MessageDecoder.ToNs(Now), result.Message!.Points[0].TimestampNs);
    }

    [Fact]
    public void Decode_Event_MapsTagsAndAttributes()
    {
        var result = Decode("ioc/v1/core/firewall/FW-EDGE-1/event",
            """{"ts": """ + (NowMs) + """, "type": "auth_failure", "severity": "warning", "message": "Failed login", "attrs": {"src_ip": "203.0.113.7", "port": 22}}""");

        Assert.True(result.IsAccepted, result.Rejection?.ToString());
        var message = result.Message!;
        Assert.Equal("auth_failure", message.Event!.Type);
        Assert.Equal(EventSeverity.Warning, message.Event.Severity);
        Assert.Equal("203.0.113.7", message.Event.Attributes["src_ip"]);
        var point = message.Points[0];
        Assert.Equal("event", point.Measurement);
        Assert.Equal("auth_failure", point.GetTag("type"));
        Assert.Equal("warning", point.GetTag("severity"));
        Assert.Equal("firewall", point.GetTag("device_type"));
        Assert.Equal("Failed login", point.GetField("message")!.Value.AsString());
        Assert.Equal("22", point.GetField("port")!.Value.AsString());
    }

    [Theory]
    [InlineData("online", DeviceState.Online, 1)]
    [InlineData("offline", DeviceState.Offline, 0)]
    public void Decode_Status_MapsState(string state, DeviceState expected, long online)
    {
        var result = Decode("ioc/v1/hai-duong/wifi-ap/AP-1/status", "{\"state\": \"" + state + "\", \"ts\": 1000}");

        Assert.True(result.IsAccepted, result.Rejection?.ToString());
        Assert.Equal(expected, result.Message!.Status!.State);
        Assert.Equal(online, result.Message.Points[0].GetField("online")!.Value.AsInteger());
        Assert.Equal("status", result.Message.Points[0].Measurement);
    }

    [Fact]
    public void Decode_TelegrafLineProtocol_KeepsMeasurementAndAddsTopicTags()
    {
        var ns = NowMs * 1_000_000;
        var payload = $"cpu,cpu=cpu-total,host=srv01 usage_idle=92.5,usage_user=4.1 {ns}\ndisk,path=/,fstype=ext4 used_percent=61.2,free=120034512i,ro=false {ns}\n";

        var result = Decode("ioc/v1/dc-tinh/server/SRV-01/telemetry", payload);

        Assert.True(result.IsAccepted, result.Rejection?.ToString());
        Assert.Equal(2, result.Message!.Points.Count);
        var cpu = result.Message.Points[0];
        Assert.Equal("cpu", cpu.Measurement);
        Assert.Equal("dc-tinh", cpu.GetTag("site"));
        Assert.Equal("SRV-01", cpu.GetTag("device"));
        Assert.Equal("server", cpu.GetTag("device_type"));
        Assert.Equal("srv01", cpu.GetTag("host"));
        var disk = result.Message.Points[1];
        Assert.Equal(FieldKind.Integer, disk.GetField("free")!.Value.Kind);
        Assert.Equal(120034512, disk.GetField("free")!.Value.AsInteger());
        Assert.False(disk.GetField("ro")!.Value.AsBoolean());
        Assert.Equal("/", disk.GetTag("path"));
    }

    [Fact]
    public void Decode_LineProtocolWithEscapes_UnescapesNamesAndStrings()
    {
        var ns = NowMs * 1_000_000;
        var payload = $"net,iface=eth\\,0 note=\"say \\\"hi\\\" \\\\ there\" {ns}";

        var result = Decode("ioc/v1/dc-tinh/server/SRV-01/telemetry", payload);

        Assert.True(result.IsAccepted, result.Rejection?.ToString());
        var point = result.Message!.Points[0];
        Assert.Equal("eth,0", point.GetTag("iface"));
        Assert.Equal("say \"hi\" \\ there", point.GetField("note:str")!.Value.AsString());
    }

    public static TheoryData<string, string, RejectReason> Rejections => new()
    {
        { "devices/x/telemetry", """{"metrics":{"a":1}}""", RejectReason.BadTopic },
        { "ioc/v1/DC/server/S1/telemetry", """{"metrics":{"a":1}}""", RejectReason.BadTopic },
        { "ioc/v1/dc/server/S 1/telemetry", """{"metrics":{"a":1}}""", RejectReason.BadTopic },
        { "ioc/v1/dc/server/S1/metrics", """{"metrics":{"a":1}}""", RejectReason.BadTopic },
        { "ioc/v1/dc/server/S1/telemetry/extra", """{"metrics":{"a":1}}""", RejectReason.BadTopic },
        { "ioc/v1/_system/server/S1/telemetry", """{"metrics":{"a":1}}""", RejectReason.BadTopic },
        { "ioc/v1/dc/toaster/T1/telemetry", """{"metrics":{"a":1}}""", RejectReason.UnknownDeviceType },
        { "ioc/v1/dc/server/S1/telemetry", "   ", RejectReason.EmptyPayload },
        { "ioc/v1/dc/server/S1/telemetry", """{"metrics":{"a":1}""", RejectReason.BadJson },
        { "ioc/v1/dc/server/S1/telemetry", """{"metrics":{"a":NaN}}""", RejectReason.BadJson },
        { "ioc/v1/dc/server/S1/telemetry", """{"metrics":{"a":1}} {}""", RejectReason.BadJson },
        { "ioc/v1/dc/server/S1/telemetry", """{"other":1}""", RejectReason.NoMetrics },
        { "ioc/v1/dc/server/S1/telemetry", """{"metrics":{}}""", RejectReason.NoMetrics },
        { "ioc/v1/dc/server/S1/telemetry", """{"metrics":[1,2]}""", RejectReason.NoMetrics },
        { "ioc/v1/dc/server/S1/telemetry", """{"metrics":{"a b":1}}""", RejectReason.BadMetricName },
        { "ioc/v1/dc/server/S1/telemetry", """{"metrics":{"time":1}}""", RejectReason.BadMetricName },
        { "ioc/v1/dc/server/S1/telemetry", """{"metrics":{"a":1,"a":2}}""", RejectReason.BadMetricName },
        { "ioc/v1/dc/server/S1/telemetry", """{"metrics":{"a":null}}""", RejectReason.BadMetricValue },
        { "ioc/v1/dc/server/S1/telemetry", """{"metrics":{"a":{"b":1}}}""", RejectReason.BadMetricValue },
        { "ioc/v1/dc/server/S1/telemetry", """{"metrics":{"a":1e999}}""", RejectReason.NonFiniteNumber },
        { "ioc/v1/dc/server/S1/telemetry", """{"ts":"yesterday","metrics":{"a":1}}""", RejectReason.BadTimestamp },
        { "ioc/v1/dc/server/S1/telemetry", """{"ts":true,"metrics":{"a":1}}""", RejectReason.BadTimestamp },
        { "ioc/v1/dc/server/S1/telemetry", """{"ts":1764000000,"metrics":{"a":1}}""", RejectReason.TimestampOutOfRange },
        { "ioc/v1/dc/server/S1/telemetry", """{"ts":"2031-01-01T00:00:00Z","metrics":{"a":1}}""", RejectReason.TimestampOutOfRange },
        { "ioc/v1/dc/server/S1/telemetry", """{"metrics":{"a":1},"tags":{"rack":"R\n3"}}""", RejectReason.BadTag },
        { "ioc/v1/dc/server/S1/telemetry", """{"metrics":{"a":1},"tags":{"rack":"R\\"}}""", RejectReason.BadTag },
        { "ioc/v1/dc/server/S1/telemetry", """{"metrics":{"a":1},"tags":{"rack":""}}""", RejectReason.BadTag },
        { "ioc/v1/dc/server/S1/telemetry", """{"metrics":{"a":1},"tags":{"rack":3}}""", RejectReason.BadTag },
        { "ioc/v1/dc/server/S1/telemetry", """{"metrics":{"a":1},"tags":{"site":"other"}}""", RejectReason.ReservedName },
        { "ioc/v1/dc/server/S1/telemetry", """{"metrics":{"device":1}}""", RejectReason.ReservedName },
        { "ioc/v1/dc/server/S1/telemetry", "cpu usage=", RejectReason.BadLineProtocol },
        { "ioc/v1/dc/server/S1/telemetry", "cpu", RejectReason.BadLineProtocol },
        { "ioc/v1/dc/server/S1/telemetry", "cpu usage=1 notatime", RejectReason.BadLineProtocol },
        { "ioc/v1/dc/server/S1/telemetry", "cpu usage=\"open", RejectReason.BadLineProtocol },
        { "ioc/v1/dc/server/S1/telemetry", "cpu usage=1,usage=2", RejectReason.BadLineProtocol },
        { "ioc/v1/dc/server/S1/telemetry", "cpu usage=abc", RejectReason.BadLineProtocol },
        { "ioc/v1/dc/server/S1/telemetry", "cpu usage=1 1", RejectReason.TimestampOutOfRange },
        { "ioc/v1/dc/server/S1/telemetry", "event,x=1 usage=1", RejectReason.ReservedName },
        { "ioc/v1/dc/server/S1/telemetry", "cpu,site=evil usage=1", RejectReason.ReservedName },
        { "ioc/v1/dc/server/S1/event", """{"message":"no type"}""", RejectReason.BadEvent },
        { "ioc/v1/dc/server/S1/event", """{"type":"x","severity":"apocalyptic"}""", RejectReason.BadEvent },
        { "ioc/v1/dc/server/S1/event", """{"type":"x","severity":"2"}""", RejectReason.BadEvent },
        { "ioc/v1/dc/server/S1/event", "not json", RejectReason.BadJson },
        { "ioc/v1/dc/server/S1/event", """{"type":"x","severity":"warning,minor"}""", RejectReason.BadEvent },
        { "ioc/v1/dc/server/S1/event", """{"type":"x","severity":" 1"}""", RejectReason.BadEvent },
        { "ioc/v1/dc/server/S1/event", """{"type":"x","severity":"+3"}""", RejectReason.BadEvent },
        { "ioc/v1/dc/server/S1/event", """{"type":"x","severity":" info"}""", RejectReason.BadEvent },
        { "ioc/v1/dc/server/S1/event", """{"type":"x","attrs":{"k":"a","k":"b"}}""", RejectReason.BadMetricName },
        { "ioc/v1/dc/server/S1/status", """{"state":"sleepy"}""", RejectReason.BadStatus },
        { "ioc/v1/dc/server/S1/status", """{"ts":1}""", RejectReason.BadStatus },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public void Decode_BadInput_IsRejectedWithItsReason(string topic, string payload, RejectReason expected)
    {
        var result = Decode(topic, payload);

        Assert.False(result.IsAccepted);
        Assert.Equal(expected, result.Rejection!.Reason);
        Assert.False(string.IsNullOrWhiteSpace(result.Rejection.Detail));
    }

    [Theory]
    [InlineData("info", EventSeverity.Info)]
    [InlineData("WARNING", EventSeverity.Warning)]
    [InlineData("Minor", EventSeverity.Minor)]
    [InlineData("major", EventSeverity.Major)]
    [InlineData("critical", EventSeverity.Critical)]
    public void Decode_EventSeverity_IsOneOfTheNamesInAnyCase(string text, EventSeverity expected)
    {
        var result = Decode("ioc/v1/dc/server/S1/event", "{\"type\":\"x\",\"severity\":\"" + text + "\"}");

        Assert.True(result.IsAccepted, result.Rejection?.ToString());
        Assert.Equal(expected, result.Message!.Event!.Severity);
    }

    [Fact]
    public void Decode_NullTopic_IsRejectedAsBadTopic()
    {
        var result = _decoder.Decode(null!, """{"metrics":{"a":1}}"""u8, Now);

        Assert.Equal(RejectReason.BadTopic, result.Rejection!.Reason);
    }

    [Fact]
    public void Decode_OversizePayload_IsRejected()
    {
        var decoder = new MessageDecoder(new ContractOptions { MaxPayloadBytes = 1024 });
        var payload = Encoding.UTF8.GetBytes("{\"metrics\":{\"a\":\"" + new string('x', 2000) + "\"}}");

        var result = decoder.Decode("ioc/v1/dc/server/S1/telemetry", payload, Now);

        Assert.Equal(RejectReason.PayloadTooLarge, result.Rejection!.Reason);
    }

    [Fact]
    public void Decode_TooManyMetrics_IsRejected()
    {
        var metrics = string.Join(",", Enumerable.Range(0, 257).Select(i => $"\"m{i}\":{i}"));

        var result = Decode("ioc/v1/dc/server/S1/telemetry", "{\"metrics\":{" + metrics + "}}");

        Assert.Equal(RejectReason.TooManyMetrics, result.Rejection!.Reason);
    }

    [Fact]
    public void Decode_ExactlyMaxMetrics_IsAccepted()
    {
        var metrics = string.Join(",", Enumerable.Range(0, 256).Select(i => $"\"m{i}\":{i}"));

        var result = Decode("ioc/v1/dc/server/S1/telemetry", "{\"metrics\":{" + metrics + "}}");

        Assert.True(result.IsAccepted, result.Rejection?.ToString());
        Assert.Equal(256, result.Message!.Points[0].Fields.Count);
    }

    [Fact]
    public void Decode_TooManyTags_IsRejected()
    {
        var tags = string.Join(",", Enumerable.Range(0, 33).Select(i => $"\"t{i}\":\"v\""));

        var result = Decode("ioc/v1/dc/server/S1/telemetry", "{\"metrics\":{\"a\":1},\"tags\":{" + tags + "}}");

        Assert.Equal(RejectReason.TooManyTags, result.Rejection!.Reason);
    }

    [Fact]
    public void Decode_LongString_IsRejected()
    {
        var result = Decode("ioc/v1/dc/server/S1/telemetry", "{\"metrics\":{\"fw\":\"" + new string('x', 257) + "\"}}");

        Assert.Equal(RejectReason.StringTooLong, result.Rejection!.Reason);
    }

    [Fact]
    public void Decode_InvalidUtf8LineProtocol_IsRejected()
    {
        byte[] payload = [.. "cpu note=\""u8.ToArray(), 0xC3, 0x28, .. "\" 1"u8.ToArray()];

        var result = _decoder.Decode("ioc/v1/dc/server/S1/telemetry", payload, Now);

        Assert.Equal(RejectReason.BadEncoding, result.Rejection!.Reason);
    }

    [Fact]
    public void Decode_ExtraDeviceType_IsAcceptedWhenConfigured()
    {
        var decoder = new MessageDecoder(new ContractOptions { ExtraDeviceTypes = ["camera"] });

        var result = decoder.Decode("ioc/v1/dc/camera/C1/telemetry", """{"metrics":{"fps":25}}"""u8, Now);

        Assert.True(result.IsAccepted, result.Rejection?.ToString());
    }

    [Fact]
    public void Decode_CollectorHealthTelemetry_IsAcceptedAsTheCollectorDeviceType()
    {
        var decoder = new MessageDecoder(new ContractOptions());

        var result = decoder.Decode("ioc/v1/ioc-core/collector/ioc-collector/telemetry", """{"metrics":{"health":2,"spool_full":true,"no_write_seconds":31.5}}"""u8, Now);

        Assert.True(result.IsAccepted, result.Rejection?.ToString());
        Assert.Equal("collector", Assert.Single(result.Message!.Points).Measurement);
    }

    [Fact]
    public void RejectReasonNames_AreSnakeCaseAndUnique()
    {
        var names = RejectReasons.All.Select(r => r.Name()).ToList();

        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Contains("bad_line_protocol", names);
        Assert.Contains("timestamp_out_of_range", names);
        Assert.Contains("rate_limited", names);
        Assert.All(names, n => Assert.Matches("^[a-z_]+$", n));
    }
}
