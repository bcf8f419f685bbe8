using System.Globalization;
using System.Text;
using System.Text.Json;
using Ioc.Simulators.Fleet;

namespace Ioc.Simulators.Syslog;

/// <summary>
/// A simulated event as a FortiGate would log it: an RFC 5424 header (FortiOS <c>set format rfc5424</c>, which carries
/// the time with its zone) and FortiOS's key=value body. Brute-force attempts are admin or SSL-VPN login failures
/// (<c>logid 0100032002</c> / <c>0101039426</c>), a DDoS is an anomaly log (<c>type="anomaly"</c>), anything else a
/// system event log.
/// </summary>
public static class FortiGateSyslog
{
    private const int Local7 = 23;
    private static readonly TimeSpan Vietnam = TimeSpan.FromHours(7);

    public static string Format(Device device, DateTimeOffset at, ReadOnlySpan<byte> eventPayload)
    {
        using var document = JsonDocument.Parse(eventPayload.ToArray());
        var root = document.RootElement;
        var type = root.TryGetProperty("type", out var t) ? t.GetString() ?? "event" : "event";
        var severity = root.TryGetProperty("severity", out var s) ? s.GetString() ?? "info" : "info";
        var message = root.TryGetProperty("message", out var m) ? m.GetString() ?? string.Empty : string.Empty;
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty("attrs", out var attrs) && attrs.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in attrs.EnumerateObject())
            {
                attributes[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() ?? string.Empty : property.Value.GetRawText();
            }
        }

        (string Name, int Code) level = severity switch
        {
            "critical" => ("critical", 2),
            "major" => ("error", 3),
            "minor" or "warning" => ("warning", 4),
            _ => ("notice", 5),
        };
        var local = at.ToOffset(Vietnam);
        var body = new StringBuilder(512);
        Pair(body, "date", local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), quoted: false);
        Pair(body, "time", local.ToString("HH:mm:ss", CultureInfo.InvariantCulture), quoted: false);
        Pair(body, "devname", device.Id);
        Pair(body, "devid", "FGT" + Math.Abs(StableId(device.Id)).ToString("D10", CultureInfo.InvariantCulture));
        Pair(body, "eventtime", ((at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100).ToString(CultureInfo.InvariantCulture), quoted: false);
        Pair(body, "tz", "+0700");
        var pri = (Local7 * 8) + level.Code;
        switch (type)
        {
            case "auth_failure":
                var user = attributes.GetValueOrDefault("user", "admin");
                var source = attributes.GetValueOrDefault("src_ip", "0.0.0.0");
                var service = attributes.GetValueOrDefault("service", "https");
                var vpn = service.Contains("vpn", StringComparison.OrdinalIgnoreCase);
                pri = (Local7 * 8) + 1;
                Pair(body, "logid", vpn ? "0101039426" : "0100032002");
                Pair(body, "type", "event");
                Pair(body, "subtype", vpn ? "vpn" : "system");
                Pair(body, "level", "alert");
                Pair(body, "vd", "root");
                Pair(body, "logdesc", vpn ? "SSL VPN login fail" : "Admin login failed");
                Pair(body, "user", user);
                Pair(body, "ui", $"{service}({source})");
                Pair(body, "srcip", source, quoted: false);
                if (attributes.TryGetValue("src_port", out var port))
                {
                    Pair(body, "srcport", port, quoted: false);
                }

                Pair(body, "action", vpn ? "ssl-login-fail" : "login");
                Pair(body, "status", "failed");
                Pair(body, "reason", "passwd_invalid");
                Pair(body, "msg", vpn ? $"SSL user failed to logged in: {user} from {source}" : $"Administrator {user} login failed from {service}({source}) because of invalid password");
                break;
            case "ddos_suspected":
                var vector = attributes.GetValueOrDefault("vector", "udp_flood");
                Pair(body, "logid", "0720018432");
                Pair(body, "type", "anomaly");
                Pair(body, "subtype", "anomaly");
                Pair(body, "level", "alert");
                Pair(body, "vd", "root");
                Pair(body, "severity", "critical");
                Pair(body, "attack", vector);
                Pair(body, "dstip", attributes.GetValueOrDefault("target_ip", "0.0.0.0"), quoted: false);
                Pair(body, "action", "clear_session");
                if (attributes.TryGetValue("factor", out var factor))
                {
                    Pair(body, "factor", factor, quoted: false);
                }

                Pair(body, "msg", $"anomaly: {vector}, {message}");
                break;
            default:
                Pair(body, "logid", "0100026001");
                Pair(body, "type", "event");
                Pair(body, "subtype", "system");
                Pair(body, "level", level.Name);
                Pair(body, "vd", "root");
                Pair(body, "logdesc", type);
                foreach (var (key, value) in attributes)
                {
                    Pair(body, key, value);
                }

                Pair(body, "msg", message);
                break;
        }

        var timestamp = local.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
        return $"<{pri.ToString(CultureInfo.InvariantCulture)}>1 {timestamp} {device.Id} - - - - {body.ToString().TrimEnd()}";
    }

    private static void Pair(StringBuilder body, string key, string value, bool quoted = true)
    {
        body.Append(key).Append('=');
        if (quoted)
        {
            body.Append('"').Append(value.Replace("\"", "'", StringComparison.Ordinal)).Append('"');
        }
        else
        {
            body.Append(value);
        }

        body.Append(' ');
    }

    private static int StableId(string id)
    {
        var hash = 17;
        foreach (var c in id)
        {
            hash = unchecked((hash * 31) + c);
        }

        return hash == int.MinValue ? 0 : hash;
    }
}
