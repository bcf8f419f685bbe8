using System.Globalization;
using System.Text;
using CsCheck;
using Ioc.Contract;
using Ioc.Contract.Model;

namespace Ioc.Contract.Tests.Fuzz;

/// <summary>
/// Hostile inputs for <see cref="MessageDecoder.Decode"/> and the property every result must have. Shared by the
/// property tests (tests/Ioc.Contract.Tests, a bounded sample) and the <c>fuzz</c> bench command (bench/Ioc.Bench links
/// this file and runs a million or more).
/// </summary>
public static class DecoderInputs
{
    /// <summary>The receive time every input is decoded at; the valid samples' timestamps are near it.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    public static readonly ContractOptions Options = new();

    private static readonly long NowMs = Now.ToUnixTimeMilliseconds();
    private static readonly long NowNs = NowMs * 1_000_000;

    public static readonly string[] ValidTopics =
    [
        "ioc/v1/dc-tinh/env-sensor/ENV-01/telemetry",
        "ioc/v1/dc-tinh/server/SRV-01/telemetry",
        "ioc/v1/dc-tinh/ups/UPS-1/telemetry",
        "ioc/v1/core/firewall/FW-EDGE-1/event",
        "ioc/v1/hai-duong/wifi-ap/AP-1/status",
        "ioc/v1/dc/switch/SW_1.a-b/status",
    ];

    /// <summary>Valid payloads, as in MessageDecoderTests, each with a topic of the channel it belongs to.</summary>
    public static readonly (string Topic, string Payload)[] ValidSamples =
    [
        ("ioc/v1/dc-tinh/env-sensor/ENV-01/telemetry", $$$"""{"ts": {{{NowMs}}}, "metrics": {"temp_c": 41.5, "if_up": true, "fw": "7.2"}, "tags": {"rack": "R03"}}"""),
        ("ioc/v1/dc-tinh/ups/UPS-1/telemetry", """{"ts": "2026-11-24T07:59:00+07:00", "metrics": {"load_pct": 40}}"""),
        ("ioc/v1/dc-tinh/ups/UPS-1/telemetry", """{"metrics": {"load_pct": 40, "on_battery": false, "note": "caf\u00e9 \ud83d\ude00"}}"""),
        ("ioc/v1/core/firewall/FW-EDGE-1/event", $$$"""{"ts": {{{NowMs}}}, "type": "auth_failure", "severity": "warning", "message": "Failed login", "attrs": {"src_ip": "203.0.113.7", "port": 22}}"""),
        ("ioc/v1/core/firewall/FW-EDGE-1/event", """{"type": "link_down", "severity": "CRITICAL", "message": "\"uplink\" lost\n", "attrs": {"ok": true}}"""),
        ("ioc/v1/hai-duong/wifi-ap/AP-1/status", """{"state": "online", "ts": 1000}"""),
        ("ioc/v1/hai-duong/wifi-ap/AP-1/status", """{"state": "offline", "ts": "2026-11-24T07:00:00Z"}"""),
        ("ioc/v1/dc-tinh/server/SRV-01/telemetry", $"cpu,cpu=cpu-total,host=srv01 usage_idle=92.5,usage_user=4.1 {NowNs}\ndisk,path=/,fstype=ext4 used_percent=61.2,free=120034512i,ro=false {NowNs}\n"),
        ("ioc/v1/dc-tinh/server/SRV-01/telemetry", $"net,iface=eth\\,0 note=\"say \\\"hi\\\" \\\\ there\",rx=12u {NowNs}"),
        ("ioc/v1/dc-tinh/server/SRV-01/telemetry", "# comment\r\nmem used=1,avail=T\r\n"),
    ];

    /// <summary>Byte sequences that are not UTF-8: stray continuation, overlong, truncated, encoded surrogates, beyond U+10FFFF.</summary>
    public static readonly byte[][] InvalidUtf8 =
    [
        [0x80], [0xBF], [0xC0, 0xAF], [0xC1, 0xBF], [0xC3], [0xE2, 0x82], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80],
        [0xED, 0xBF, 0xBF], [0xF0, 0x82, 0x82, 0xAC], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFE], [0xFF],
    ];

    /// <summary>Tokens to splice into JSON or line protocol: escapes, numbers and times at the edges, nesting, NUL.</summary>
    public static readonly string[] HostileTokens =
    [
        "\\ud800", "\\udc00", "\\uDBFF\\uDFFF", "\\udc00\\ud800", "\\ud800\\u0041", "\\ud800\\n", "\\u0000", "\\\\ud800", "\\", "\\u12",
        "\0", "\u0001", "\t", "\n", "\r", " ", ",", "=", "\"", "'", "{", "}", "[", "]", ":", "#",
        "1e400", "-1e400", "1e-400", "123456789012345678901234567890", "-123456789012345678901234567890", "0.0000000000000000000000001",
        "NaN", "Infinity", "-Infinity", "nan", "inf", "null", "true", "-0", "00", "01", "1.", ".5", "+1", "0x10",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "18446744073709551615u",
        "9223372036854775807i", "9223372036854775808i", "-9223372036854775809i", "18446744073709551616u", "-1u",
        "-62135596800000", "-62135596800001", "253402300799999", "253402300800000", "-253402300799000", "-1e14", "1e14", "-9300000000000",
        "\"9999-12-31T23:59:59.9999999Z\"", "\"0001-01-01T00:00:00Z\"", "\"0001-01-01T00:00:00+14:00\"", "\"9999-12-31T23:59:59-14:00\"",
        "\"2262-04-11T23:47:17Z\"", "\"1677-09-21T00:12:43Z\"", "\"\"", "\"\\ud800\"",
        "[[[[[[[[[[[[[[[[[[[[", "{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":1}}}}}}}}}",
        "\"\":1,", "\"metrics\":{\"a\":1},", "\"metrics\":{},", "\"ts\":1,", "\"tags\":{\"a\":\"b\",\"a\":\"c\"},", "\"site\":\"x\",",
        "\"type\":\"x\",\"type\":\"y\",", "\"state\":\"online\",\"state\":7,", "\"attrs\":{\"k\":1,\"k\":2},",
    ];

    /// <summary>Valid payload shapes with one hole (§) where a timestamp or value goes.</summary>
    private static readonly (string Topic, string Template)[] Templates =
    [
        ("ioc/v1/dc/server/S1/telemetry", """{"ts":§,"metrics":{"a":1}}"""),
        ("ioc/v1/dc/server/S1/telemetry", """{"metrics":{"a":§}}"""),
        ("ioc/v1/dc/server/S1/telemetry", """{"metrics":{"a":1},"tags":{"rack":§}}"""),
        ("ioc/v1/dc/server/S1/telemetry", """{"metrics":{§:1}}"""),
        ("ioc/v1/dc/server/S1/event", """{"ts":§,"type":"x"}"""),
        ("ioc/v1/dc/server/S1/event", """{"type":"x","severity":§,"attrs":{"k":§}}"""),
        ("ioc/v1/dc/server/S1/status", """{"state":"online","ts":§}"""),
        ("ioc/v1/dc/server/S1/status", """{"state":§}"""),
        ("ioc/v1/dc/server/S1/telemetry", "cpu usage=1 §"),
        ("ioc/v1/dc/server/S1/telemetry", $"cpu usage=§ {NowNs}"),
        ("ioc/v1/dc/server/S1/telemetry", $"cpu,host=§ usage=1 {NowNs}"),
        ("ioc/v1/dc/server/S1/telemetry", $"cpu note=\"§\" {NowNs}"),
    ];

    private static readonly Gen<string> TimeValue = Gen.OneOf<string>(
        Gen.Long.Select(v => v.ToString(CultureInfo.InvariantCulture)),
        Gen.Double.Select(v => v.ToString("R", CultureInfo.InvariantCulture)),
        Gen.Long[-70_000_000_000_000, 300_000_000_000_000].Select(v => v.ToString(CultureInfo.InvariantCulture)),
        Gen.Long[NowMs - 40L * 86_400_000, NowMs + 86_400_000].Select(v => v.ToString(CultureInfo.InvariantCulture)),
        Gen.Long[NowNs - 40L * 86_400_000_000_000, NowNs + 86_400_000_000_000].Select(v => v.ToString(CultureInfo.InvariantCulture)),
        Gen.DateTime.Select(Gen.Int[-14 * 60, 14 * 60], (d, m) => "\"" + FormatTime(d, m) + "\""),
        Gen.Int[1, 9999].Select(y => $"\"{y:D4}-12-31T23:59:59Z\""),
        Gen.OneOf(HostileTokens));

    private static string FormatTime(DateTime time, int offsetMinutes)
    {
        var offset = TimeSpan.FromMinutes(offsetMinutes);
        return time.ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture)
            + (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString("hh\\:mm", CultureInfo.InvariantCulture);
    }

    /// <summary>Any UTF-16 string: random chars, including lone surrogates and control characters.</summary>
    private static readonly Gen<string> AnyText = Gen.String[Gen.Char, 0, 24];

    /// <summary>What goes into a template's hole, as bytes (so it can be invalid UTF-8). Lone surrogates in
    /// <see cref="AnyText"/> become U+FFFD when encoded; raw ones are among <see cref="InvalidUtf8"/>.</summary>
    private static readonly Gen<byte[]> Substitute = Gen.Frequency<byte[]>(
        (4, TimeValue.Select(Encoding.UTF8.GetBytes)),
        (2, AnyText.Select(t => Encoding.UTF8.GetBytes("\"" + t + "\""))),
        (1, AnyText.Select(Encoding.UTF8.GetBytes)),
        (1, Gen.Int[0, InvalidUtf8.Length - 1].Select(Gen.Int[0, 2], (i, at) => Splice("\"abc\""u8.ToArray(), at + 1, InvalidUtf8[i]))));

    /// <summary>(a) Random bytes on a valid topic.</summary>
    public static readonly Gen<(string Topic, byte[] Payload)> RandomBytes =
        Gen.OneOf(ValidTopics).Select(Gen.Byte.Array[0, 300], (t, p) => (t, p));

    /// <summary>(a') Random bytes made mostly of JSON and line-protocol punctuation, so the parsers get further in.</summary>
    public static readonly Gen<(string Topic, byte[] Payload)> RandomSyntax =
        Gen.OneOf(ValidTopics).Select(Gen.OneOf("{}[]\":,=\\ \nu0123456789.eE+-tfnaisd_"u8.ToArray()).Array[0, 120], (t, p) => (t, p));

    /// <summary>(b) A valid sample with one to five mutations: bit flips, byte edits, splices of invalid UTF-8 and hostile tokens.</summary>
    public static readonly Gen<(string Topic, byte[] Payload)> MutatedPayloads =
        Gen.Int[0, ValidSamples.Length - 1].Select(Gen.ULong.Array[1, 5], (i, ops) => (ValidSamples[i].Topic, Mutate(Encoding.UTF8.GetBytes(ValidSamples[i].Payload), ops)));

    /// <summary>(b') A valid shape with a hostile value in its hole: edge timestamps, huge numbers, lone surrogates, any text.</summary>
    public static readonly Gen<(string Topic, byte[] Payload)> HostileValues =
        Gen.Int[0, Templates.Length - 1].Select(Substitute, (i, value) => (Templates[i].Topic, Fill(Templates[i].Template, value)));

    /// <summary>(c) Random and mutated topics, with a valid payload for the channel or a mutated one.</summary>
    public static readonly Gen<(string Topic, byte[] Payload)> Topics =
        Gen.Frequency<string>(
            (1, AnyText),
            (1, Gen.String[Gen.OneOf("io/cv1_-.#+$ \0\ud800\udc00Aé/".ToCharArray()), 0, 60]),
            (3, Gen.OneOf(ValidTopics).Select(Gen.ULong.Array[1, 4], MutateTopic)))
        .Select(Gen.Int[0, ValidSamples.Length - 1], (topic, i) => (topic, Encoding.UTF8.GetBytes(ValidSamples[i].Payload)));

    /// <summary>All of the above, in the proportions the bench uses.</summary>
    public static readonly Gen<(string Topic, byte[] Payload)> All = Gen.Frequency<(string Topic, byte[] Payload)>(
        (2, RandomBytes), (1, RandomSyntax), (4, MutatedPayloads), (2, HostileValues), (1, Topics));

    private static byte[] Fill(string template, byte[] value)
    {
        var parts = template.Split('§');
        var bytes = new List<byte>(Encoding.UTF8.GetBytes(parts[0]));
        foreach (var part in parts.Skip(1))
        {
            bytes.AddRange(value);
            bytes.AddRange(Encoding.UTF8.GetBytes(part));
        }

        return [.. bytes];
    }

    private static byte[] Splice(byte[] into, int at, byte[] what) => [.. into.AsSpan(0, at), .. what, .. into.AsSpan(at)];

    /// <summary>Applies one mutation per entry of <paramref name="ops"/>, each op's bits choosing what and where.</summary>
    public static byte[] Mutate(byte[] input, ulong[] ops)
    {
        var bytes = new List<byte>(input);
        foreach (var op in ops)
        {
            var kind = (int)(op % 9);
            var at = bytes.Count == 0 ? 0 : (int)((op >> 8) % (ulong)(bytes.Count + 1));
            var pick = (int)(op >> 40);
            var within = Math.Min(at, Math.Max(0, bytes.Count - 1));
            switch (kind)
            {
                case 0 when bytes.Count > 0:
                    bytes[within] ^= (byte)(1 << (pick & 7));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[within] = (byte)pick;
                    break;
                case 2:
                    bytes.Insert(at, (byte)pick);
                    break;
                case 3 when bytes.Count > 0:
                    bytes.RemoveRange(within, Math.Min(1 + (pick % 8), bytes.Count - within));
                    break;
                case 4:
                    bytes.InsertRange(at, InvalidUtf8[pick % InvalidUtf8.Length]);
                    break;
                case 5:
                case 6:
                    bytes.InsertRange(at, Encoding.UTF8.GetBytes(HostileTokens[pick % HostileTokens.Length]));
                    break;
                case 7 when bytes.Count > 0:
                    // Replace a run with a hostile token, so a value can become an edge case rather than gain a prefix.
                    bytes.RemoveRange(within, Math.Min(1 + (pick % 12), bytes.Count - within));
                    bytes.InsertRange(within, Encoding.UTF8.GetBytes(HostileTokens[(pick >> 4) % HostileTokens.Length]));
                    break;
                default:
                    if (bytes.Count > 0)
                    {
                        var length = Math.Min(1 + (pick % 16), bytes.Count - within);
                        bytes.InsertRange(at, bytes.GetRange(within, length));
                    }

                    break;
            }
        }

        return [.. bytes];
    }

    private static string MutateTopic(string topic, ulong[] ops)
    {
        var text = new StringBuilder(topic);
        const string pieces = "/#+\0 .-_Aé\ud800\udc00";
        foreach (var op in ops)
        {
            var at = (int)((op >> 8) % (ulong)(text.Length + 1));
            var piece = pieces[(int)((op >> 32) % (ulong)pieces.Length)];
            switch (op % 4)
            {
                case 0:
                    text.Insert(at, piece);
                    break;
                case 1 when at < text.Length:
                    text[at] = piece;
                    break;
                case 2 when at < text.Length:
                    text.Remove(at, 1);
                    break;
                default:
                    text.Insert(at, new string(piece, 1 + (int)(op >> 60)));
                    break;
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// The property, for a result of <c>Decode(topic, payload, </c><see cref="Now"/><c>)</c> (that it returned at all is
    /// the other half): accepted with storable points (valid names, finite numbers, well-formed text, a timestamp in
    /// the window) or refused with a reason the decoder gives and a detail. Returns what is wrong, or null.
    /// </summary>
    public static string? Violation(DecodeResult result)
    {
        if (result.Message is null)
        {
            var rejection = result.Rejection;
            if (rejection is null)
            {
                return "neither accepted nor rejected";
            }

            if (!Enum.IsDefined(rejection.Reason) || rejection.Reason is RejectReason.StoreRejected or RejectReason.DecoderFault or RejectReason.RateLimited)
            {
                return $"rejected with reason {rejection.Reason}, which the decoder does not give";
            }

            return string.IsNullOrWhiteSpace(rejection.Detail) ? $"rejected as {rejection.Reason.Name()} without a detail" : null;
        }

        var message = result.Message;
        if (result.Rejection is not null || message.Points.Count == 0)
        {
            return "accepted without points, or with a rejection as well";
        }

        var min = MessageDecoder.ToNs(Now - Options.MaxPastAge);
        var max = MessageDecoder.ToNs(Now + Options.MaxFutureSkew);
        foreach (var point in message.Points)
        {
            if (!Names.IsKey(point.Measurement))
            {
                return $"measurement '{point.Measurement}' is not a valid name";
            }

            if (message.Channel != MessageChannel.Status && (point.TimestampNs < min || point.TimestampNs > max))
            {
                return $"timestamp {point.TimestampNs} ns is outside the accepted window";
            }

            foreach (var tag in point.Tags)
            {
                if (!Names.IsKey(tag.Key) || !Names.IsTagValue(tag.Value, Options.MaxStringLength) || !IsWellFormed(tag.Value))
                {
                    return $"tag '{tag.Key}'='{tag.Value}' breaks the name rules";
                }
            }

            if (point.Fields.Count == 0)
            {
                return "a point without fields";
            }

            foreach (var field in point.Fields)
            {
                if (!Names.IsKey(field.Key) || TagNames.IsReserved(field.Key))
                {
                    return $"field '{field.Key}' is not a valid name";
                }

                var value = field.Value;
                if (value.Kind == FieldKind.Float && !double.IsFinite(value.AsDouble()))
                {
                    return $"field '{field.Key}' is not finite";
                }

                if (value.Kind == FieldKind.String && (!IsWellFormed(value.AsString()) || value.AsString().Length > Options.MaxStringLength * 4))
                {
                    return $"field '{field.Key}' holds malformed or overlong text";
                }
            }
        }

        var stamped = message.Event?.Timestamp ?? message.Status?.Timestamp;
        if (stamped is { } at && MessageDecoder.ToNs(at) / 100 != message.Points[0].TimestampNs / 100)
        {
            return "the event or status time differs from its point's";
        }

        return null;
    }

    /// <summary>True when every surrogate in <paramref name="text"/> is half of a pair.</summary>
    public static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A payload as C#-escaped text, for a failure message that can be pasted into a regression test.</summary>
    public static string Show(string topic, byte[] payload) =>
        $"topic \"{Escape(topic)}\", payload (base64) {Convert.ToBase64String(payload)} = \"{Escape(Encoding.Latin1.GetString(payload))}\"";

    private static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                >= ' ' and < '\u007F' => c.ToString(),
                _ => $"\\u{(int)c:x4}",
            });
        }

        return builder.ToString();
    }
}
