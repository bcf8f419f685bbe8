using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Ioc.Contract;

namespace Ioc.Collector.Snmp;

/// <summary>A trap as snmptrapd printed it: the sender's address and port, the trap OID and the variable bindings.</summary>
public sealed record SnmpTrap(IPAddress Source, int Port, string TrapOid, IReadOnlyList<SnmpValue> Bindings)
{
    public const string TrapOidBinding = "1.3.6.1.6.3.1.1.4.1.0";

    /// <summary>
    /// The line snmptrapd writes with <c>-F "TRAP %b\t%V\t%v\n"</c> and <c>-On -OQ</c>:
    /// <c>TRAP UDP: [127.0.0.1]:53192-&gt;[127.0.0.1]:162 TAB .1.3.6.1.2.1.1.3.0 = 1295484 TAB .1.3.6.1.6.3.1.1.4.1.0 = .1.3.6.1.6.3.1.1.5.3 …</c>.
    /// Never throws: null when the line is not a trap.
    /// </summary>
    public static SnmpTrap? Parse(string line)
    {
        if (!line.StartsWith("TRAP ", StringComparison.Ordinal))
        {
            return null;
        }

        var parts = line[5..].Split('\t');
        var transport = parts[0];
        var open = transport.IndexOf('[', StringComparison.Ordinal);
        var close = open < 0 ? -1 : transport.IndexOf(']', open);
        if (close < 0 || !IPAddress.TryParse(transport[(open + 1)..close], out var source))
        {
            return null;
        }

        var port = 0;
        if (close + 2 < transport.Length && transport[close + 1] == ':')
        {
            var end = close + 2;
            while (end < transport.Length && char.IsAsciiDigit(transport[end]))
            {
                end++;
            }

            _ = int.TryParse(transport[(close + 2)..end], NumberStyles.None, CultureInfo.InvariantCulture, out port);
        }

        var bindings = new List<SnmpValue>();
        foreach (var part in parts.Skip(1))
        {
            bindings.AddRange(SnmpProfiles.ParseValues(part));
        }

        var trapOid = bindings.FirstOrDefault(b => b.Oid == TrapOidBinding).Text?.TrimStart('.') ?? "unknown";
        return new SnmpTrap(source, port, trapOid, bindings);
    }

    /// <summary>The trap as the contract's event: known traps by name, any other as <c>snmp_trap</c> with its OID.</summary>
    public byte[] ToEventPayload(DateTimeOffset at)
    {
        var (type, severity, message) = TrapOid switch
        {
            "1.3.6.1.6.3.1.1.5.3" => ("link_down", "major", "Link down"),
            "1.3.6.1.6.3.1.1.5.4" => ("link_up", "info", "Link up"),
            "1.3.6.1.6.3.1.1.5.1" => ("device_restart", "warning", "Cold start"),
            "1.3.6.1.6.3.1.1.5.2" => ("device_restart", "info", "Warm start"),
            "1.3.6.1.6.3.1.1.5.5" => ("auth_failure", "warning", "SNMP authentication failure"),
            "1.3.6.1.2.1.33.2.1" => ("ups_on_battery", "major", "UPS on battery"),
            "1.3.6.1.2.1.33.2.2" => ("ups_test_completed", "info", "UPS self-test completed"),
            "1.3.6.1.2.1.33.2.3" => ("ups_alarm", "major", "UPS alarm entry added"),
            "1.3.6.1.2.1.33.2.4" => ("ups_alarm_cleared", "info", "UPS alarm entry removed"),
            _ => ("snmp_trap", "info", "SNMP trap " + TrapOid),
        };
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("ts", at.ToUnixTimeMilliseconds());
            json.WriteString("type", type);
            json.WriteString("severity", severity);
            json.WriteString("message", message);
            json.WriteStartObject("attrs");
            json.WriteString("trap_oid", TrapOid);
            json.WriteString("sender", $"{Source}:{Port.ToString(CultureInfo.InvariantCulture)}");
            json.WriteString("transport", "snmp");
            if (Bindings.FirstOrDefault(b => b.Oid.StartsWith("1.3.6.1.2.1.2.2.1.2.", StringComparison.Ordinal)) is { Oid: not null } descr)
            {
                json.WriteString("interface", Limit(descr.Unquoted));
            }
            else if (Bindings.FirstOrDefault(b => b.Oid.StartsWith("1.3.6.1.2.1.2.2.1.1.", StringComparison.Ordinal)) is { Oid: not null } index)
            {
                json.WriteString("interface", Limit(index.Text));
            }

            var kept = 0;
            foreach (var binding in Bindings)
            {
                if (binding.Oid is "1.3.6.1.2.1.1.3.0" or TrapOidBinding || kept++ >= 32)
                {
                    continue;
                }

                json.WriteString("oid." + binding.Oid, Limit(binding.Unquoted));
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static string Limit(string value)
    {
        var clean = new string(value.Where(c => !char.IsControl(c)).ToArray());
        return clean.Length > 250 ? clean[..250] : clean.Length == 0 ? "-" : clean;
    }

    public string TopicFor(DeviceAddress device) => device.Topic(MessageChannel.Event);
}
