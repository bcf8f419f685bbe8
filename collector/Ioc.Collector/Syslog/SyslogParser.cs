using System.Globalization;
using System.Text;

namespace Ioc.Collector.Syslog;

/// <summary>
/// Parses one syslog message (one UDP datagram, one TCP or TLS frame): RFC 5424 with structured data, or RFC 3164 and
/// the variants devices really send (no header at all after the PRI, as FortiGate does; Cisco's sequence numbers and
/// <c>*Mar  1 18:46:11.123:</c> timestamps; RFC 3339 timestamps in a BSD header; a missing PRI, which RFC 3164 reads
/// as user.notice). Pure and never throws: every byte sequence ends in a message or a named <see cref="SyslogRejectReason"/>.
/// </summary>
public static class SyslogParser
{
    /// <summary>RFC 3164 §4.3.3: a message without a PRI is given facility user (1), severity notice (5).</summary>
    public const int DefaultPri = 13;

    private const int MaxHostname = 255;
    private const int MaxAppName = 48;
    private const int MaxProcId = 128;
    private const int MaxMsgId = 32;
    private const int MaxSdName = 32;

    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    private static readonly string[] Rfc3339Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.fK", "yyyy-MM-dd'T'HH:mm:ss.ffK", "yyyy-MM-dd'T'HH:mm:ss.fffK",
        "yyyy-MM-dd'T'HH:mm:ss.ffffK", "yyyy-MM-dd'T'HH:mm:ss.fffffK", "yyyy-MM-dd'T'HH:mm:ss.ffffffK",
    ];

    public static SyslogParseResult Parse(ReadOnlySpan<byte> data, int maxBytes = 65536)
    {
        if (data.Length > maxBytes)
        {
            return SyslogParseResult.Reject(SyslogRejectReason.TooLong, $"message is {data.Length} bytes; the limit is {maxBytes} (Ioc:Syslog:MaxMessageBytes)");
        }

        data = TrimEnd(data);
        var start = 0;
        while (start < data.Length && data[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0)
        {
            start++;
        }

        data = data[start..];
        if (data.IsEmpty)
        {
            return SyslogParseResult.Reject(SyslogRejectReason.Empty, "message is empty");
        }

        var pri = DefaultPri;
        if (data[0] == (byte)'<')
        {
            var close = data[..Math.Min(data.Length, 5)].IndexOf((byte)'>');
            if (close < 2 || !TryDigits(data[1..close], out pri) || pri > 191 || (close > 2 && data[1] == (byte)'0'))
            {
                return SyslogParseResult.Reject(SyslogRejectReason.BadPri, "PRI must be '<' 1 to 3 digits (0 to 191, no leading zero) '>'");
            }

            data = data[(close + 1)..];
        }

        return LooksLike5424(data, out var versionLength)
            ? Parse5424(data, versionLength, pri)
            : Parse3164(data, pri);
    }

    /// <summary>VERSION SP followed by what a TIMESTAMP starts with (a digit or the NILVALUE '-').</summary>
    private static bool LooksLike5424(ReadOnlySpan<byte> data, out int versionLength)
    {
        versionLength = 0;
        while (versionLength < data.Length && versionLength < 3 && IsDigit(data[versionLength]))
        {
            versionLength++;
        }

        if (versionLength == 0 || data[0] == (byte)'0' || versionLength + 2 > data.Length || data[versionLength] != (byte)' ')
        {
            return false;
        }

        var next = data[versionLength + 1];
        return IsDigit(next) || (next == (byte)'-' && (versionLength + 2 == data.Length || data[versionLength + 2] == (byte)' '));
    }

    private static SyslogParseResult Parse5424(ReadOnlySpan<byte> data, int versionLength, int pri)
    {
        if (versionLength != 1 || data[0] != (byte)'1')
        {
            return SyslogParseResult.Reject(SyslogRejectReason.BadVersion, $"RFC 5424 VERSION '{Ascii(data[..versionLength])}' is not 1");
        }

        var rest = data[(versionLength + 1)..];
        if (!TryField(ref rest, 64, out var timestampText))
        {
            return SyslogParseResult.Reject(SyslogRejectReason.BadTimestamp, "RFC 5424 TIMESTAMP missing or not printable");
        }

        DateTimeOffset? timestamp = null;
        if (timestampText is not null)
        {
            if (!TryRfc3339(timestampText, out var parsed))
            {
                return SyslogParseResult.Reject(SyslogRejectReason.BadTimestamp, $"RFC 5424 TIMESTAMP '{timestampText}' is not RFC 3339 with a zone (2026-12-01T08:30:00.123+07:00)");
            }

            timestamp = parsed;
        }

        if (!TryField(ref rest, MaxHostname, out var hostname))
        {
            return SyslogParseResult.Reject(SyslogRejectReason.BadHeader, $"RFC 5424 HOSTNAME missing, longer than {MaxHostname} or not printable US-ASCII");
        }

        if (!TryField(ref rest, MaxAppName, out var appName))
        {
            return SyslogParseResult.Reject(SyslogRejectReason.BadHeader, $"RFC 5424 APP-NAME missing, longer than {MaxAppName} or not printable US-ASCII");
        }

        if (!TryField(ref rest, MaxProcId, out var procId))
        {
            return SyslogParseResult.Reject(SyslogRejectReason.BadHeader, $"RFC 5424 PROCID missing, longer than {MaxProcId} or not printable US-ASCII");
        }

        if (!TryField(ref rest, MaxMsgId, out var msgId, last: true))
        {
            return SyslogParseResult.Reject(SyslogRejectReason.BadHeader, $"RFC 5424 MSGID missing, longer than {MaxMsgId} or not printable US-ASCII");
        }

        var elements = new List<SyslogStructuredElement>();
        if (!rest.IsEmpty)
        {
            if (rest[0] != (byte)' ')
            {
                return SyslogParseResult.Reject(SyslogRejectReason.BadHeader, "RFC 5424 MSGID must be followed by a space");
            }

            rest = rest[1..];
            if (rest.IsEmpty)
            {
                return SyslogParseResult.Reject(SyslogRejectReason.BadStructuredData, "RFC 5424 STRUCTURED-DATA missing (use '-' for none)");
            }

            if (rest[0] == (byte)'-')
            {
                rest = rest[1..];
            }
            else if (rest[0] == (byte)'[')
            {
                while (!rest.IsEmpty && rest[0] == (byte)'[')
                {
                    if (ParseElement(ref rest, elements) is { } error)
                    {
                        return SyslogParseResult.Reject(SyslogRejectReason.BadStructuredData, error);
                    }
                }
            }
            else
            {
                return SyslogParseResult.Reject(SyslogRejectReason.BadStructuredData, "RFC 5424 STRUCTURED-DATA must be '-' or start with '['");
            }

            if (!rest.IsEmpty)
            {
                if (rest[0] != (byte)' ')
                {
                    return SyslogParseResult.Reject(SyslogRejectReason.BadStructuredData, "RFC 5424 STRUCTURED-DATA must be followed by a space and the MSG");
                }

                rest = rest[1..];
            }
        }

        if (rest.StartsWith("\uFEFF"u8))
        {
            rest = rest[3..];
        }

        return SyslogParseResult.Accept(new SyslogMessage(SyslogFormat.Rfc5424, pri >> 3, pri & 7, timestamp, hostname, appName, procId, msgId, elements, Text(rest)));
    }

    /// <summary>Reads one header field up to a space (or the end when <paramref name="last"/>); '-' is null.</summary>
    private static bool TryField(ref ReadOnlySpan<byte> rest, int maxLength, out string? value, bool last = false)
    {
        value = null;
        var end = rest.IndexOf((byte)' ');
        if (end < 0)
        {
            if (!last)
            {
                return false;
            }

            end = rest.Length;
        }

        var token = rest[..end];
        if (token.IsEmpty || token.Length > maxLength)
        {
            return false;
        }

        foreach (var b in token)
        {
            if (b is < 33 or > 126)
            {
                return false;
            }
        }

        value = token.Length == 1 && token[0] == (byte)'-' ? null : Ascii(token);
        rest = last ? rest[end..] : rest[(end + 1)..];
        return true;
    }

    /// <summary>One SD-ELEMENT at the start of <paramref name="rest"/>; returns an error or null.</summary>
    private static string? ParseElement(ref ReadOnlySpan<byte> rest, List<SyslogStructuredElement> elements)
    {
        rest = rest[1..];
        var id = ReadSdName(ref rest);
        if (id is null)
        {
            return $"SD-ID must be 1 to {MaxSdName} printable US-ASCII characters other than '=', ' ', ']' and '\"'";
        }

        var parameters = new List<KeyValuePair<string, string>>();
        while (true)
        {
            if (rest.IsEmpty)
            {
                return $"SD-ELEMENT '{id}' is not closed by ']'";
            }

            if (rest[0] == (byte)']')
            {
                rest = rest[1..];
                elements.Add(new SyslogStructuredElement(id, parameters));
                return null;
            }

            if (rest[0] != (byte)' ')
            {
                return $"SD-ELEMENT '{id}': expected ' ' or ']'";
            }

            rest = rest[1..];
            var name = ReadSdName(ref rest);
            if (name is null || rest.Length < 2 || rest[0] != (byte)'=' || rest[1] != (byte)'"')
            {
                return $"SD-ELEMENT '{id}': a parameter must be NAME=\"value\"";
            }

            rest = rest[2..];
            var value = new StringBuilder();
            var closed = false;
            var i = 0;
            var runStart = 0;
            while (i < rest.Length)
            {
                var b = rest[i];
                if (b == (byte)'\\' && i + 1 < rest.Length && rest[i + 1] is (byte)'"' or (byte)'\\' or (byte)']')
                {
                    value.Append(Text(rest[runStart..i]));
                    value.Append((char)rest[i + 1]);
                    i += 2;
                    runStart = i;
                    continue;
                }

                if (b == (byte)'"')
                {
                    value.Append(Text(rest[runStart..i]));
                    closed = true;
                    break;
                }

                i++;
            }

            if (!closed)
            {
                return $"SD-PARAM '{name}' in '{id}' has no closing '\"'";
            }

            rest = rest[(i + 1)..];
            parameters.Add(new KeyValuePair<string, string>(name, value.ToString()));
        }
    }

    private static string? ReadSdName(ref ReadOnlySpan<byte> rest)
    {
        var i = 0;
        while (i < rest.Length && rest[i] is >= 33 and <= 126 and not (byte)'=' and not (byte)']' and not (byte)'"')
        {
            i++;
        }

        if (i is 0 or > MaxSdName)
        {
            return null;
        }

        var name = Ascii(rest[..i]);
        rest = rest[i..];
        return name;
    }

    private static SyslogParseResult Parse3164(ReadOnlySpan<byte> data, int pri)
    {
        DateTimeOffset? timestamp = null;
        string? deviceTime = null;
        string? hostname = null;
        var rest = data;
        var sawTime = false;
        if (TryBsdTimestamp(rest, out var length))
        {
            deviceTime = Ascii(rest[..length]).TrimStart('*', '.');
            rest = rest[length..];
            sawTime = true;
        }
        else if (TryRfc3339Token(rest, out length, out var parsed))
        {
            timestamp = parsed;
            rest = rest[length..];
            sawTime = true;
        }

        if (sawTime)
        {
            // Cisco ends its timestamp with ':'.
            if (!rest.IsEmpty && rest[0] == (byte)':')
            {
                rest = rest[1..];
            }

            rest = SkipSpaces(rest);

            // After a timestamp RFC 3164 puts HOSTNAME; many devices leave it out and write the TAG at once.
            var end = rest.IndexOf((byte)' ');
            if (end > 0 && end <= MaxHostname)
            {
                var token = rest[..end];
                if (token[^1] != (byte)':' && token.IndexOfAny((byte)'[', (byte)'=', (byte)'%') < 0 && IsPrintableAscii(token))
                {
                    hostname = Ascii(token);
                    rest = SkipSpaces(rest[end..]);
                }
            }
        }

        string? appName = null;
        string? procId = null;
        if (TryTag(rest, out var tagLength, out var tag, out var pid))
        {
            appName = tag;
            procId = pid;
            rest = rest[tagLength..];
            if (!rest.IsEmpty && rest[0] == (byte)' ')
            {
                rest = rest[1..];
            }
        }

        return SyslogParseResult.Accept(new SyslogMessage(SyslogFormat.Rfc3164, pri >> 3, pri & 7, timestamp, hostname, appName, procId, null, [], Text(rest))
        {
            DeviceTime = deviceTime,
        });
    }

    /// <summary><c>[*|.]Mmm [d]d [yyyy ]hh:mm:ss[.fff]</c>; the length consumed.</summary>
    private static bool TryBsdTimestamp(ReadOnlySpan<byte> data, out int length)
    {
        length = 0;
        var i = 0;
        if (i < data.Length && data[i] is (byte)'*' or (byte)'.')
        {
            i++;
        }

        if (i + 3 > data.Length)
        {
            return false;
        }

        var monthOk = false;
        foreach (var month in Months)
        {
            if (data[i] == month[0] && data[i + 1] == month[1] && data[i + 2] == month[2])
            {
                monthOk = true;
                break;
            }
        }

        if (!monthOk)
        {
            return false;
        }

        i += 3;
        if (i >= data.Length || data[i] != (byte)' ')
        {
            return false;
        }

        while (i < data.Length && data[i] == (byte)' ')
        {
            i++;
        }

        var digits = CountDigits(data, i);
        if (digits is < 1 or > 2)
        {
            return false;
        }

        i += digits;
        if (i >= data.Length || data[i] != (byte)' ')
        {
            return false;
        }

        i++;
        if (CountDigits(data, i) == 4 && i + 4 < data.Length && data[i + 4] == (byte)' ')
        {
            i += 5;
        }

        // hh:mm:ss
        if (i + 8 > data.Length || CountDigits(data, i) != 2 || data[i + 2] != (byte)':' || CountDigits(data, i + 3) != 2 || data[i + 5] != (byte)':' || CountDigits(data, i + 6) != 2)
        {
            return false;
        }

        i += 8;
        if (i < data.Length && data[i] == (byte)'.' && CountDigits(data, i + 1) is > 0 and <= 9)
        {
            i += 1 + CountDigits(data, i + 1);
        }

        if (i < data.Length && data[i] is not ((byte)' ' or (byte)':'))
        {
            return false;
        }

        length = i;
        return true;
    }

    private static bool TryRfc3339Token(ReadOnlySpan<byte> data, out int length, out DateTimeOffset timestamp)
    {
        timestamp = default;
        length = 0;
        if (CountDigits(data, 0) != 4 || data.Length < 5 || data[4] != (byte)'-')
        {
            return false;
        }

        var end = data.IndexOf((byte)' ');
        if (end < 0)
        {
            end = data.Length;
        }

        if (end > 40 || !IsPrintableAscii(data[..end]) || !TryRfc3339(Ascii(data[..end]), out timestamp))
        {
            return false;
        }

        length = end;
        return true;
    }

    /// <summary><c>TAG[PID]:</c> with TAG of 1 to 48 of <c>[A-Za-z0-9_.-/]</c>; the length consumed includes the colon.</summary>
    private static bool TryTag(ReadOnlySpan<byte> data, out int length, out string? tag, out string? pid)
    {
        length = 0;
        tag = null;
        pid = null;
        var i = 0;
        while (i < data.Length && i <= MaxAppName && (IsAsciiLetterOrDigit(data[i]) || data[i] is (byte)'_' or (byte)'.' or (byte)'-' or (byte)'/'))
        {
            i++;
        }

        if (i is 0 or > MaxAppName || i >= data.Length)
        {
            return false;
        }

        var tagEnd = i;
        if (data[i] == (byte)'[')
        {
            var close = data[i..].IndexOf((byte)']');
            if (close < 2 || close > MaxProcId + 1 || !IsPrintableAscii(data.Slice(i + 1, close - 1)))
            {
                return false;
            }

            pid = Ascii(data.Slice(i + 1, close - 1));
            i += close + 1;
        }

        if (i >= data.Length || data[i] != (byte)':' || (i + 1 < data.Length && data[i + 1] != (byte)' '))
        {
            pid = null;
            return false;
        }

        tag = Ascii(data[..tagEnd]);
        length = i + 1;
        return true;
    }

    internal static bool TryRfc3339(string text, out DateTimeOffset timestamp)
    {
        // Only 'Z' or a numeric offset: 'K' alone would also take a time without a zone as local time.
        var zoned = text.EndsWith('Z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
        timestamp = default;
        return zoned && DateTimeOffset.TryParseExact(text, Rfc3339Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out timestamp);
    }

    private static ReadOnlySpan<byte> TrimEnd(ReadOnlySpan<byte> data)
    {
        var end = data.Length;
        while (end > 0 && data[end - 1] is (byte)'\n' or (byte)'\r' or 0)
        {
            end--;
        }

        return data[..end];
    }

    private static ReadOnlySpan<byte> SkipSpaces(ReadOnlySpan<byte> data)
    {
        var i = 0;
        while (i < data.Length && data[i] == (byte)' ')
        {
            i++;
        }

        return data[i..];
    }

    private static bool TryDigits(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        if (digits.IsEmpty || digits.Length > 3)
        {
            return false;
        }

        foreach (var b in digits)
        {
            if (!IsDigit(b))
            {
                return false;
            }

            value = (value * 10) + (b - '0');
        }

        return true;
    }

    private static int CountDigits(ReadOnlySpan<byte> data, int start)
    {
        var i = start;
        while (i < data.Length && IsDigit(data[i]))
        {
            i++;
        }

        return i - start;
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    private static bool IsAsciiLetterOrDigit(byte b) => IsDigit(b) || b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z';

    private static bool IsPrintableAscii(ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            if (b is < 33 or > 126)
            {
                return false;
            }
        }

        return true;
    }

    private static string Ascii(ReadOnlySpan<byte> data) => Encoding.ASCII.GetString(data);

    /// <summary>UTF-8, with U+FFFD for bytes that are not (a legacy device's Latin-1 costs the odd character, not the message).</summary>
    private static string Text(ReadOnlySpan<byte> data) => Encoding.UTF8.GetString(data);
}
