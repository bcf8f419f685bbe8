using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Ioc.Contract;

namespace Ioc.Collector.Syslog;

/// <summary>What a syslog message says as an Ioc event: type, severity, message and attributes.</summary>
public sealed record SyslogEvent(string Type, string Severity, string Message, IReadOnlyList<KeyValuePair<string, string>> Attributes);

/// <summary>
/// Turns a parsed syslog message into an event of the telemetry contract (docs/telemetry-contract.md), reading the
/// vendor bodies a province's devices send: FortiGate <c>key=value</c> logs (admin and SSL-VPN login failures become
/// <c>auth_failure</c>, anomaly/flood logs <c>ddos_suspected</c>), Cisco <c>%FAC-SEV-MNEMONIC:</c> (login failures,
/// link and line-protocol changes), sshd's "Failed password" lines; anything else is a <c>syslog</c> event. Names are
/// normalised to the contract's (FortiGate <c>srcip</c> is <c>src_ip</c>, as the brute-force rule groups by it).
/// Every value is cut to the contract's limits with the cut recorded (<c>truncated</c>), never refused for length.
/// Pure and never throws.
/// </summary>
public sealed class SyslogEventMapper(ContractOptions contract)
{
    public const string GenericType = "syslog";

    /// <summary>Attributes one event keeps (the rest are counted in <c>attrs_dropped</c>).</summary>
    public const int MaxAttributes = 64;

    private static readonly string[] FacilityNames =
    [
        "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp", "ntp", "security",
        "console", "solaris-cron", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7",
    ];

    private static readonly Dictionary<string, string> Renames = new(StringComparer.Ordinal)
    {
        ["srcip"] = "src_ip", ["dstip"] = "dst_ip", ["srcport"] = "src_port", ["dstport"] = "dst_port", ["srcintf"] = "src_interface",
        ["dstintf"] = "dst_interface", ["dstuser"] = "user", ["msg"] = "fgt_msg",
    };

    // Admin login failed, SSL-VPN login failed, IPsec/XAuth authentication failure.
    private static readonly HashSet<string> FortiAuthFailureIds = new(StringComparer.Ordinal) { "0100032002", "0101039426", "0101037127", "0101037131" };

    private readonly int _maxValue = Math.Max(16, contract.MaxStringLength);
    private readonly int _maxMessage = Math.Max(16, contract.MaxStringLength * 4);

    public static string SeverityOf(int syslogSeverity) => syslogSeverity switch
    {
        <= 2 => "critical",
        3 => "major",
        4 => "warning",
        _ => "info",
    };

    public static string FacilityName(int facility) => facility >= 0 && facility < FacilityNames.Length ? FacilityNames[facility] : facility.ToString(CultureInfo.InvariantCulture);

    public SyslogEvent Map(SyslogMessage message, string sender, string transport)
    {
        var attributes = new AttributeBag(_maxValue);
        var text = message.Message;
        var type = GenericType;
        var kv = ParseKeyValues(text);
        var isForti = kv.Count >= 3 && (Has(kv, "logid") || Has(kv, "devid") || Has(kv, "devname"));
        string? summary = null;
        if (isForti)
        {
            type = FortiType(kv);
            foreach (var (key, value) in kv)
            {
                attributes.Add(Renames.TryGetValue(key, out var renamed) ? renamed : key, value);
            }

            summary = Get(kv, "msg") ?? Get(kv, "logdesc");
            attributes.Add("vendor", "fortinet");
        }
        else if (FindCiscoMnemonic(text, out var facility, out var level, out var mnemonic, out var after))
        {
            type = CiscoType(facility, mnemonic, after);
            attributes.Add("vendor", "cisco");
            attributes.Add("mnemonic", $"{facility}-{level}-{mnemonic}");
            CiscoAttributes(after, attributes);
            summary = after.Trim();
        }
        else if (SshFailure(text, attributes))
        {
            type = "auth_failure";
        }

        if (type == "auth_failure" && !attributes.Contains("src_ip") && Get(kv, "ui") is { } ui && ui.IndexOf('(') is var open and > 0 && ui.EndsWith(')'))
        {
            // FortiOS before 6.4 gives the source of an admin login only as ui="https(10.0.0.1)".
            attributes.Add("src_ip", ui[(open + 1)..^1]);
        }

        foreach (var element in message.StructuredData)
        {
            foreach (var (name, value) in element.Parameters)
            {
                attributes.Add($"{element.Id}.{name}", value);
            }
        }

        attributes.Add("syslog_facility", FacilityName(message.Facility));
        attributes.Add("syslog_severity", message.Severity.ToString(CultureInfo.InvariantCulture));
        attributes.AddIfSet("app_name", message.AppName);
        attributes.AddIfSet("proc_id", message.ProcId);
        attributes.AddIfSet("msg_id", message.MsgId);
        attributes.AddIfSet("reported_host", message.Hostname);
        attributes.AddIfSet("device_time", message.DeviceTime);
        attributes.Add("sender", sender);
        attributes.Add("transport", transport);

        var body = Clean(summary is { Length: > 0 } ? summary : text);
        if (body.Length > _maxMessage)
        {
            attributes.Add("message_length", body.Length.ToString(CultureInfo.InvariantCulture));
            body = body[..(_maxMessage - 1)] + "…";
            attributes.MarkTruncated();
        }

        return new SyslogEvent(type, SeverityOf(message.Severity), body, attributes.Build());
    }

    /// <summary>The event as the contract's JSON payload for <c>ioc/v1/{site}/{type}/{id}/event</c>.</summary>
    public static byte[] ToPayload(SyslogEvent syslogEvent, DateTimeOffset timestamp)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + (syslogEvent.Message.Length * 2));
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("ts", timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("type", syslogEvent.Type);
            json.WriteString("severity", syslogEvent.Severity);
            json.WriteString("message", syslogEvent.Message);
            json.WriteStartObject("attrs");
            foreach (var (key, value) in syslogEvent.Attributes)
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static string FortiType(List<KeyValuePair<string, string>> kv)
    {
        var logid = Get(kv, "logid") ?? string.Empty;
        var logType = Get(kv, "type") ?? string.Empty;
        var subtype = Get(kv, "subtype") ?? string.Empty;
        var action = Get(kv, "action") ?? string.Empty;
        var status = Get(kv, "status") ?? string.Empty;
        if (FortiAuthFailureIds.Contains(logid) || action is "ssl-login-fail" || (action == "login" && status == "failed")
            || (subtype is "vpn" or "user" && action.Contains("fail", StringComparison.OrdinalIgnoreCase)))
        {
            return "auth_failure";
        }

        if (logType == "anomaly" || subtype == "anomaly" || (Get(kv, "attack") ?? string.Empty).Contains("flood", StringComparison.OrdinalIgnoreCase))
        {
            return "ddos_suspected";
        }

        var name = $"fortigate.{Slug(logType)}.{Slug(subtype)}";
        return Names.IsKey(name) && name.Length <= Names.MaxSegmentLength ? name : "fortigate";
    }

    private static string CiscoType(string facility, string mnemonic, string after)
    {
        if (mnemonic.Contains("LOGIN_FAILED", StringComparison.Ordinal) || mnemonic.Contains("AUTHFAIL", StringComparison.Ordinal)
            || (facility == "SSH" && mnemonic.Contains("FAIL", StringComparison.Ordinal)))
        {
            return "auth_failure";
        }

        if (mnemonic == "UPDOWN" && facility is "LINK" or "LINEPROTO")
        {
            return after.Contains("to down", StringComparison.OrdinalIgnoreCase) ? "link_down" : "link_up";
        }

        var name = $"cisco.{facility.ToLowerInvariant()}.{mnemonic.ToLowerInvariant()}";
        return Names.IsKey(name) && name.Length <= Names.MaxSegmentLength ? name : "cisco";
    }

    /// <summary>Cisco bodies: <c>Interface Gi1/0/1, changed state to down</c>; <c>[user: admin] [Source: 10.0.0.9]</c>.</summary>
    private static void CiscoAttributes(string text, AttributeBag attributes)
    {
        const string InterfaceWord = "Interface ";
        var at = text.IndexOf(InterfaceWord, StringComparison.Ordinal);
        if (at >= 0)
        {
            var start = at + InterfaceWord.Length;
            var end = text.IndexOf(',', start);
            if (end > start)
            {
                attributes.Add("interface", text[start..end]);
            }
        }

        var i = 0;
        while ((i = text.IndexOf('[', i)) >= 0)
        {
            var close = text.IndexOf(']', i);
            var colon = text.IndexOf(':', i);
            if (close < 0)
            {
                break;
            }

            if (colon > i && colon < close)
            {
                var key = text[(i + 1)..colon].Trim().ToLowerInvariant();
                var value = text[(colon + 1)..close].Trim();
                attributes.Add(key == "source" ? "src_ip" : key, value);
            }

            i = close + 1;
        }
    }

    /// <summary><c>%FAC-SEV-MNEMONIC:</c> anywhere in the text (after sequence numbers and timestamps).</summary>
    internal static bool FindCiscoMnemonic(string text, out string facility, out int level, out string mnemonic, out string after)
    {
        facility = mnemonic = after = string.Empty;
        level = 0;
        var i = 0;
        while ((i = text.IndexOf('%', i)) >= 0)
        {
            var j = i + 1;
            while (j < text.Length && (char.IsAsciiLetterUpper(text[j]) || char.IsAsciiDigit(text[j]) || text[j] == '_'))
            {
                j++;
            }

            if (j > i + 1 && j + 3 < text.Length && text[j] == '-' && char.IsAsciiDigit(text[j + 1]) && text[j + 1] <= '7' && text[j + 2] == '-')
            {
                var k = j + 3;
                while (k < text.Length && (char.IsAsciiLetterUpper(text[k]) || char.IsAsciiDigit(text[k]) || text[k] == '_'))
                {
                    k++;
                }

                if (k > j + 3 && k < text.Length && text[k] == ':')
                {
                    facility = text[(i + 1)..j];
                    level = text[j + 1] - '0';
                    mnemonic = text[(j + 3)..k];
                    after = text[(k + 1)..];
                    return true;
                }
            }

            i++;
        }

        return false;
    }

    /// <summary>sshd: <c>Failed password for [invalid user ]NAME from ADDR port N ssh2</c>.</summary>
    private static bool SshFailure(string text, AttributeBag attributes)
    {
        const string Marker = "Failed password for ";
        var at = text.IndexOf(Marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return false;
        }

        var words = text[(at + Marker.Length)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var w = 0;
        if (words.Length > 2 && words[0] == "invalid" && words[1] == "user")
        {
            w = 2;
        }

        if (w < words.Length)
        {
            attributes.Add("user", words[w]);
        }

        for (var i = w; i + 1 < words.Length; i++)
        {
            if (words[i] == "from")
            {
                attributes.Add("src_ip", words[i + 1]);
            }
            else if (words[i] == "port")
            {
                attributes.Add("src_port", words[i + 1]);
            }
        }

        return true;
    }

    /// <summary><c>key=value</c> and <c>key="quoted value"</c> pairs separated by spaces; stops at the first token that is neither.</summary>
    internal static List<KeyValuePair<string, string>> ParseKeyValues(string text)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && text[i] == ' ')
            {
                i++;
            }

            var keyStart = i;
            while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '-' or '.'))
            {
                i++;
            }

            if (i == keyStart || i >= text.Length || text[i] != '=')
            {
                break;
            }

            var key = text[keyStart..i];
            i++;
            string value;
            if (i < text.Length && text[i] == '"')
            {
                var close = text.IndexOf('"', i + 1);
                if (close < 0)
                {
                    value = text[(i + 1)..];
                    i = text.Length;
                }
                else
                {
                    value = text[(i + 1)..close];
                    i = close + 1;
                }
            }
            else
            {
                var end = text.IndexOf(' ', i);
                end = end < 0 ? text.Length : end;
                value = text[i..end];
                i = end;
            }

            pairs.Add(new KeyValuePair<string, string>(key, value));
        }

        return pairs;
    }

    private static bool Has(List<KeyValuePair<string, string>> pairs, string key) => Get(pairs, key) is not null;

    private static string? Get(List<KeyValuePair<string, string>> pairs, string key)
    {
        foreach (var (k, v) in pairs)
        {
            if (k == key)
            {
                return v;
            }
        }

        return null;
    }

    private static string Slug(string value)
    {
        var builder = new StringBuilder(Math.Min(value.Length, 24));
        foreach (var c in value)
        {
            if (builder.Length >= 24)
            {
                break;
            }

            builder.Append(char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '_');
        }

        return builder.Length == 0 ? "none" : builder.ToString();
    }

    /// <summary>Control characters become spaces (a message is one line in every view).</summary>
    internal static string Clean(string value)
    {
        if (!value.AsSpan().ContainsAnyInRange('\0', '\u001f') && !value.Contains('\u007f', StringComparison.Ordinal))
        {
            return value.Trim();
        }

        var chars = value.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsControl(chars[i]))
            {
                chars[i] = ' ';
            }
        }

        return new string(chars).Trim();
    }

    /// <summary>Attributes under the contract's names and limits: keys made valid and unique, values cleaned and cut.</summary>
    private sealed class AttributeBag(int maxValue)
    {
        private readonly List<KeyValuePair<string, string>> _items = [];
        private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
        private int _dropped;
        private bool _truncated;

        public bool Contains(string key) => _keys.Contains(key);

        public void AddIfSet(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                Add(key, value);
            }
        }

        public void MarkTruncated() => _truncated = true;

        public void Add(string rawKey, string rawValue)
        {
            var key = Key(rawKey);
            var value = Clean(rawValue);
            if (value.Length == 0 || _keys.Contains(key))
            {
                return;
            }

            if (_items.Count >= MaxAttributes - 2)
            {
                _dropped++;
                return;
            }

            if (value.Length > maxValue)
            {
                value = value[..(maxValue - 1)] + "…";
                _truncated = true;
            }

            _keys.Add(key);
            _items.Add(new KeyValuePair<string, string>(key, value));
        }

        public IReadOnlyList<KeyValuePair<string, string>> Build()
        {
            if (_dropped > 0)
            {
                _items.Add(new KeyValuePair<string, string>("attrs_dropped", _dropped.ToString(CultureInfo.InvariantCulture)));
            }

            if (_truncated)
            {
                _items.Add(new KeyValuePair<string, string>("truncated", "true"));
            }

            return _items;
        }

        /// <summary>A contract attribute name: <c>[A-Za-z_][A-Za-z0-9_.:/-]{0,127}</c>, not a tag's or the message's.</summary>
        private static string Key(string raw)
        {
            var builder = new StringBuilder(Math.Min(raw.Length + 4, Names.MaxKeyLength));
            foreach (var c in raw)
            {
                if (builder.Length >= Names.MaxKeyLength - 4)
                {
                    break;
                }

                builder.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' or ':' or '/' ? c : '_');
            }

            if (builder.Length == 0 || !(char.IsAsciiLetter(builder[0]) || builder[0] == '_'))
            {
                builder.Insert(0, '_');
            }

            var key = builder.ToString();
            return key is "time" or "message" or "type" or "severity" or "truncated" or "attrs_dropped" || TagNames.IsReserved(key) ? "log_" + key : key;
        }
    }
}
