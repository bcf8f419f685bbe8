using System.Globalization;

namespace Ioc.Collector.Snmp;

/// <summary>One value as net-snmp prints it with <c>-On -OQ -Oe -Ot</c>: <c>.1.3.6.1.2.1.33.1.2.4.0 = 87</c>.</summary>
public readonly record struct SnmpValue(string Oid, string Text)
{
    public bool TryNumber(out double value) => double.TryParse(Text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>A string value without its quotes.</summary>
    public string Unquoted => Text.Length >= 2 && Text[0] == '"' && Text[^1] == '"' ? Text[1..^1] : Text;
}

/// <summary>One telemetry message made from a poll: metrics and tags (an interface's name, say).</summary>
public sealed record SnmpReading(IReadOnlyDictionary<string, object> Metrics, IReadOnlyDictionary<string, string> Tags);

/// <summary>
/// The OIDs read per kind of device, numeric (Debian ships no MIB files), and how their answers become the metrics the
/// rest of Ioc already knows (the same names the simulators and the shipped rules use: <c>on_battery</c>,
/// <c>battery_pct</c>, <c>runtime_min</c>, <c>if_up</c>, <c>if_in_octets</c>…).
/// </summary>
public static class SnmpProfiles
{
    public const string Ups = "ups";
    public const string Pdu = "pdu";
    public const string Interfaces = "interfaces";

    public static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal) { Ups, Pdu, Interfaces };

    /// <summary>UPS-MIB (RFC 1628), 1.3.6.1.2.1.33: scalar OIDs and the metric each fills.</summary>
    public static readonly IReadOnlyList<(string Oid, string Metric)> UpsOids =
    [
        ("1.3.6.1.2.1.33.1.2.1.0", "battery_status"),          // upsBatteryStatus: 2 normal, 3 low, 4 depleted
        ("1.3.6.1.2.1.33.1.2.2.0", "seconds_on_battery"),      // upsSecondsOnBattery
        ("1.3.6.1.2.1.33.1.2.3.0", "runtime_min"),             // upsEstimatedMinutesRemaining
        ("1.3.6.1.2.1.33.1.2.4.0", "battery_pct"),             // upsEstimatedChargeRemaining
        ("1.3.6.1.2.1.33.1.2.7.0", "battery_temp_c"),          // upsBatteryTemperature
        ("1.3.6.1.2.1.33.1.3.3.1.3.1", "input_voltage"),       // upsInputVoltage.1
        ("1.3.6.1.2.1.33.1.4.1.0", "output_source"),           // upsOutputSource: 3 normal, 5 battery
        ("1.3.6.1.2.1.33.1.4.4.1.2.1", "output_voltage"),      // upsOutputVoltage.1
        ("1.3.6.1.2.1.33.1.4.4.1.5.1", "load_pct"),            // upsOutputPercentLoad.1
    ];

    /// <summary>APC PowerNet rPDULoadStatusLoad.1 (tenths of amperes).</summary>
    public const string PduLoadOid = "1.3.6.1.4.1.318.1.1.12.2.3.1.1.2.1";

    /// <summary>IF-MIB columns walked per interface.</summary>
    public static readonly IReadOnlyList<(string Column, string Metric)> InterfaceColumns =
    [
        ("1.3.6.1.2.1.2.2.1.2", "if_descr"),
        ("1.3.6.1.2.1.2.2.1.8", "if_oper_status"),
        ("1.3.6.1.2.1.2.2.1.14", "if_in_errors"),
        ("1.3.6.1.2.1.2.2.1.20", "if_out_errors"),
        ("1.3.6.1.2.1.31.1.1.1.6", "if_in_octets"),
        ("1.3.6.1.2.1.31.1.1.1.10", "if_out_octets"),
    ];

    public static bool IsNumericOid(string oid)
    {
        var text = oid.TrimStart('.');
        return text.Length > 0 && text.Split('.').All(part => part.Length is > 0 and < 11 && part.All(char.IsAsciiDigit));
    }

    /// <summary>Lines of <c>-On -OQ</c> output; "No Such Object/Instance" and error lines are left out.</summary>
    public static List<SnmpValue> ParseValues(string output)
    {
        var values = new List<SnmpValue>();
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var equals = line.IndexOf(" = ", StringComparison.Ordinal);
            if (equals <= 0 || line[0] != '.')
            {
                continue;
            }

            var text = line[(equals + 3)..].Trim();
            if (text.StartsWith("No Such", StringComparison.Ordinal) || text.StartsWith("No more variables", StringComparison.Ordinal))
            {
                continue;
            }

            values.Add(new SnmpValue(line[1..equals], text));
        }

        return values;
    }

    public static SnmpReading? ReadUps(IReadOnlyList<SnmpValue> values)
    {
        var metrics = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (oid, metric) in UpsOids)
        {
            if (values.FirstOrDefault(v => v.Oid == oid) is { Oid: not null } value && value.TryNumber(out var number))
            {
                metrics[metric] = number;
            }
        }

        if (metrics.TryGetValue("output_source", out var source) || metrics.ContainsKey("seconds_on_battery"))
        {
            var onBattery = (source is double s && (int)s == 5) || (metrics.TryGetValue("seconds_on_battery", out var seconds) && (double)seconds > 0);
            metrics["on_battery"] = onBattery;
        }

        return metrics.Count == 0 ? null : new SnmpReading(metrics, new Dictionary<string, string>());
    }

    public static SnmpReading? ReadPduLoad(IReadOnlyList<SnmpValue> values) =>
        values.FirstOrDefault(v => v.Oid == PduLoadOid) is { Oid: not null } load && load.TryNumber(out var tenths)
            ? new SnmpReading(new Dictionary<string, object> { ["current_a"] = tenths / 10 }, new Dictionary<string, string>())
            : null;

    /// <summary>One reading per interface index, tagged with its name (ifDescr).</summary>
    public static List<SnmpReading> ReadInterfaces(IReadOnlyList<SnmpValue> values)
    {
        var byIndex = new SortedDictionary<int, Dictionary<string, SnmpValue>>();
        foreach (var value in values)
        {
            foreach (var (column, metric) in InterfaceColumns)
            {
                if (value.Oid.StartsWith(column + ".", StringComparison.Ordinal) && int.TryParse(value.Oid[(column.Length + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    if (!byIndex.TryGetValue(index, out var row))
                    {
                        byIndex[index] = row = new Dictionary<string, SnmpValue>(StringComparer.Ordinal);
                    }

                    row[metric] = value;
                }
            }
        }

        var readings = new List<SnmpReading>();
        foreach (var (index, row) in byIndex)
        {
            var metrics = new Dictionary<string, object>(StringComparer.Ordinal);
            foreach (var (metric, value) in row)
            {
                if (metric == "if_oper_status" && value.TryNumber(out var status))
                {
                    metrics["if_up"] = (int)status == 1;
                }
                else if (metric != "if_descr" && value.TryNumber(out var number))
                {
                    metrics[metric] = number;
                }
            }

            if (metrics.Count == 0)
            {
                continue;
            }

            var name = row.TryGetValue("if_descr", out var descr) ? descr.Unquoted : index.ToString(CultureInfo.InvariantCulture);
            readings.Add(new SnmpReading(metrics, new Dictionary<string, string> { ["interface"] = Clean(name), ["if_index"] = index.ToString(CultureInfo.InvariantCulture) }));
        }

        return readings;
    }

    /// <summary>A generic walk: every numeric value as <c>oid.{oid}</c>.</summary>
    public static SnmpReading? Walked(IReadOnlyList<SnmpValue> values)
    {
        var metrics = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            if (metrics.Count < 200 && value.TryNumber(out var number))
            {
                metrics["oid." + value.Oid] = number;
            }
        }

        return metrics.Count == 0 ? null : new SnmpReading(metrics, new Dictionary<string, string>());
    }

    private static string Clean(string value)
    {
        var chars = value.Where(c => !char.IsControl(c) && c != '\\').Take(128).ToArray();
        return chars.Length == 0 ? "unnamed" : new string(chars);
    }
}
