using System.Text;
using Ioc.Contract;

namespace Ioc.Contract.Tests;

/// <summary>
/// One test per class of payload that used to throw out of <see cref="MessageDecoder.Decode"/> (and so stopped the
/// collector, which was then handed the same unacknowledged message again on restart), or that was accepted with a
/// wrapped-around timestamp. Each must now be refused with a named reason.
/// </summary>
public class DecoderCrashRegressionTests
{
    private const string Telemetry = "ioc/v1/dc/server/S1/telemetry";
    private const string Event = "ioc/v1/dc/server/S1/event";
    private const string Status = "ioc/v1/dc/server/S1/status";
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);
    private readonly MessageDecoder _decoder = new(new ContractOptions());

    /// <summary><paramref name="template"/> with each '¤' replaced by <paramref name="bad"/> (raw bytes, not UTF-8 text).</summary>
    private static byte[] With(string template, params byte[] bad)
    {
        var parts = template.Split('¤');
        var bytes = new List<byte>(Encoding.UTF8.GetBytes(parts[0]));
        foreach (var part in parts.Skip(1))
        {
            bytes.AddRange(bad);
            bytes.AddRange(Encoding.UTF8.GetBytes(part));
        }

        return [.. bytes];
    }

    private DecodeResult Decode(string topic, byte[] payload)
    {
        // Before the fix these threw; xunit reports that as the failure.
        return _decoder.Decode(topic, payload, Now);
    }

    // Invalid UTF-8 inside a JSON string: Utf8JsonReader does not validate string contents, GetString() threw
    // InvalidOperationException ("Cannot transcode invalid UTF-8 JSON text to UTF-16 string").
    public static TheoryData<string, string, string> InvalidUtf8InJsonStrings => new()
    {
        { "metric name", Telemetry, """{"metrics":{"a¤":1}}""" },
        { "metric string value", Telemetry, """{"metrics":{"fw":"7.¤"}}""" },
        { "tag name", Telemetry, """{"metrics":{"a":1},"tags":{"r¤":"x"}}""" },
        { "tag value", Telemetry, """{"metrics":{"a":1},"tags":{"rack":"R¤"}}""" },
        { "timestamp string", Telemetry, """{"ts":"2026-11-24T07:59:00Z¤","metrics":{"a":1}}""" },
        { "event type", Event, """{"type":"auth¤"}""" },
        { "event severity", Event, """{"type":"x","severity":"¤"}""" },
        { "event message", Event, """{"type":"x","message":"m¤"}""" },
        { "event attribute name", Event, """{"type":"x","attrs":{"k¤":"v"}}""" },
        { "event attribute value", Event, """{"type":"x","attrs":{"k":"v¤"}}""" },
        { "status timestamp string", Status, """{"state":"online","ts":"¤"}""" },
    };

    public static TheoryData<string, byte[]> InvalidUtf8Sequences => new()
    {
        { "lone continuation byte", [0x80] },
        { "0xFF", [0xFF] },
        { "overlong '/'", [0xC0, 0xAF] },
        { "truncated 3-byte sequence", [0xE2, 0x82] },
        { "UTF-8-encoded surrogate U+D800", [0xED, 0xA0, 0x80] },
        { "code point above U+10FFFF", [0xF4, 0x90, 0x80, 0x80] },
    };

    public static IEnumerable<object[]> InvalidUtf8Cases() =>
        from place in InvalidUtf8InJsonStrings
        from bad in InvalidUtf8Sequences
        select new object[] { place[0], bad[0], place[1], place[2], bad[1] };

    [Theory]
    [MemberData(nameof(InvalidUtf8Cases))]
    public void InvalidUtf8InAJsonString_IsRefusedAsBadEncoding(string where, string sequence, string topic, string template, byte[] bad)
    {
        var result = Decode(topic, With(template, bad));

        Assert.False(result.IsAccepted, $"{sequence} in {where} was accepted");
        Assert.Equal(RejectReason.BadEncoding, result.Rejection!.Reason);
    }

    // A \u escape of a lone UTF-16 surrogate is valid JSON syntax but not text: unescaping it (GetString(), and
    // ValueTextEquals() on an escaped property name or status value) threw InvalidOperationException.
    public static TheoryData<string, string, string> LoneSurrogateEscapes => new()
    {
        { "metric name", Telemetry, """{"metrics":{"a\ud800":1}}""" },
        { "metric string value", Telemetry, """{"metrics":{"fw":"\ud800"}}""" },
        { "low surrogate alone", Telemetry, """{"metrics":{"fw":"\udc00"}}""" },
        { "pair in the wrong order", Telemetry, """{"metrics":{"fw":"\udc00\ud800"}}""" },
        { "high surrogate then a letter", Telemetry, """{"metrics":{"fw":"\ud800\u0041"}}""" },
        { "high surrogate then an escaped newline", Telemetry, """{"metrics":{"fw":"\ud800\n"}}""" },
        { "tag value", Telemetry, """{"metrics":{"a":1},"tags":{"rack":"\uDBFF"}}""" },
        { "timestamp string", Telemetry, """{"ts":"\ud800","metrics":{"a":1}}""" },
        { "top-level key", Telemetry, """{"\ud800":1,"metrics":{"a":1}}""" },
        { "event type", Event, """{"type":"\ud800"}""" },
        { "event message", Event, """{"type":"x","message":"boom \ud800"}""" },
        { "event attribute", Event, """{"type":"x","attrs":{"k":"\udfff"}}""" },
        { "status state", Status, """{"state":"\ud800"}""" },
        { "status key", Status, """{"\ud800":1,"state":"online"}""" },
    };

    [Theory]
    [MemberData(nameof(LoneSurrogateEscapes))]
    public void LoneSurrogateEscape_IsRefusedAsBadEncoding(string where, string topic, string payload)
    {
        var result = Decode(topic, Encoding.UTF8.GetBytes(payload));

        Assert.False(result.IsAccepted, $"lone surrogate in {where} was accepted");
        Assert.Equal(RejectReason.BadEncoding, result.Rejection!.Reason);
    }

    [Fact]
    public void EscapedSurrogatePair_IsStillAccepted()
    {
        var result = Decode(Event, Encoding.UTF8.GetBytes("""{"type":"x","message":"\ud83d\ude00 \\ud800 is text"}"""));

        Assert.True(result.IsAccepted, result.Rejection?.ToString());
        Assert.Equal("\U0001F600 \\ud800 is text", result.Message!.Event!.Message);
    }

    // Unix milliseconds before year 1: only the upper bound was checked, so DateTimeOffset.UnixEpoch.AddTicks threw
    // ArgumentOutOfRangeException.
    public static TheoryData<string, string> TimestampsBeforeYearOne => new()
    {
        { Telemetry, """{"ts":-62135596800001,"metrics":{"a":1}}""" },
        { Telemetry, """{"ts":-100000000000000,"metrics":{"a":1}}""" },
        { Telemetry, """{"ts":-253402300799000,"metrics":{"a":1}}""" },
        { Event, """{"ts":-1e14,"type":"x"}""" },
        { Status, """{"state":"online","ts":-99999999999999.9}""" },
    };

    [Theory]
    [MemberData(nameof(TimestampsBeforeYearOne))]
    public void UnixMillisecondsBeforeYearOne_IsRefusedAsBadTimestamp(string topic, string payload)
    {
        var result = Decode(topic, Encoding.UTF8.GetBytes(payload));

        Assert.False(result.IsAccepted);
        Assert.Equal(RejectReason.BadTimestamp, result.Rejection!.Reason);
    }

    // A status timestamp is not checked against the age window, so a time outside what 64-bit nanoseconds since
    // 1970 can hold (1677-09-21 to 2262-04-11) overflowed silently in ToNs and was stored at a wrapped-around time.
    public static TheoryData<string, string> StatusTimestampsOutsideNanosecondRange => new()
    {
        { """{"state":"online","ts":253402300799000}""", "9999-12-31 as Unix ms" },
        { """{"state":"online","ts":"9999-12-31T23:59:59Z"}""", "9999-12-31 as RFC 3339" },
        { """{"state":"online","ts":"0001-01-01T00:00:00Z"}""", "0001-01-01 as RFC 3339" },
        { """{"state":"offline","ts":9300000000000}""", "year 2264" },
        { """{"state":"offline","ts":-9300000000000}""", "year 1675" },
    };

    [Theory]
    [MemberData(nameof(StatusTimestampsOutsideNanosecondRange))]
    public void StatusTimestampOutsideNanosecondRange_IsRefusedAsBadTimestamp(string payload, string what)
    {
        var result = Decode(Status, Encoding.UTF8.GetBytes(payload));

        Assert.False(result.IsAccepted, $"{what} was accepted at {result.Message?.Points[0].TimestampNs} ns");
        Assert.Equal(RejectReason.BadTimestamp, result.Rejection!.Reason);
    }

    [Theory]
    [InlineData("""{"state":"online","ts":-9200000000000}""", -9_200_000_000_000_000_000L)]
    [InlineData("""{"state":"online","ts":9200000000000}""", 9_200_000_000_000_000_000L)]
    [InlineData("""{"state":"online","ts":"2262-04-11T23:47:16Z"}""", 9_223_372_036_000_000_000L)]
    public void StatusTimestampInsideNanosecondRange_IsKeptExactly(string payload, long expectedNs)
    {
        var result = Decode(Status, Encoding.UTF8.GetBytes(payload));

        Assert.True(result.IsAccepted, result.Rejection?.ToString());
        Assert.Equal(expectedNs, result.Message!.Points[0].TimestampNs);
    }
}
