using Ioc.Contract.Model;

namespace Ioc.Contract;

/// <summary>What a telemetry metric may hold, whatever device sends it.</summary>
public enum MetricType
{
    /// <summary>A number, stored as a float (integers are converted).</summary>
    Number,

    /// <summary>A whole number, stored as an integer (Telegraf's <c>i</c> fields; an integral JSON number is accepted).</summary>
    Integer,

    Boolean,

    String,
}

/// <summary>
/// The field-type rule of the contract: the type a metric is stored with follows from its name alone, never from what
/// some device sent first. InfluxDB fixes a field's type per measurement (and shard) with the first value it stores, so
/// without this rule one device sending <c>"temp_c": "hot"</c> would make every later numeric <c>temp_c</c> of that
/// device type unstorable. Declared metrics (<see cref="Declared"/> plus <see cref="ContractOptions.Metrics"/>) have a
/// fixed type; a value of another type refuses the message (<see cref="RejectReason.BadMetricType"/>, naming the
/// expected type). An undeclared metric is stored under its own name when it is a number, and under a name with a kind
/// suffix otherwise (<c>fw</c> → <c>fw:str</c>, <c>x</c> → <c>x:bool</c>, <c>n</c> → <c>n:int</c>); a name that already
/// carries a suffix must hold that kind. A string can never land in a number's field, nor a number in a string's.
/// </summary>
public sealed class FieldSchema
{
    public const string StringSuffix = ":str";
    public const string BooleanSuffix = ":bool";
    public const string IntegerSuffix = ":int";

    /// <summary>The metrics the simulated province and the dashboards rely on, with their types.</summary>
    public static IReadOnlyDictionary<string, MetricType> Declared { get; } = new Dictionary<string, MetricType>(StringComparer.Ordinal)
    {
        // Environment, cooling, power.
        ["temp_c"] = MetricType.Number,
        ["humidity_pct"] = MetricType.Number,
        ["supply_temp_c"] = MetricType.Number,
        ["return_temp_c"] = MetricType.Number,
        ["setpoint_c"] = MetricType.Number,
        ["cooling_kw"] = MetricType.Number,
        ["power_kw"] = MetricType.Number,
        ["current_a"] = MetricType.Number,
        ["voltage_v"] = MetricType.Number,
        ["energy_kwh"] = MetricType.Number,
        ["load_pct"] = MetricType.Number,
        ["battery_pct"] = MetricType.Number,
        ["battery_temp_c"] = MetricType.Number,
        ["runtime_min"] = MetricType.Number,
        ["input_voltage"] = MetricType.Number,
        ["output_voltage"] = MetricType.Number,
        ["water_leak"] = MetricType.Boolean,
        ["smoke"] = MetricType.Boolean,
        ["door_open"] = MetricType.Boolean,
        ["fan_ok"] = MetricType.Boolean,
        ["compressor_ok"] = MetricType.Boolean,
        ["on_battery"] = MetricType.Boolean,

        // Network.
        ["cpu_pct"] = MetricType.Number,
        ["throughput_mbps"] = MetricType.Number,
        ["pps"] = MetricType.Number,
        ["sessions"] = MetricType.Number,
        ["blocked_total"] = MetricType.Number,
        ["clients"] = MetricType.Number,
        ["channel_util_pct"] = MetricType.Number,
        ["rx_bytes"] = MetricType.Number,
        ["tx_bytes"] = MetricType.Number,
        ["if_in_octets"] = MetricType.Number,
        ["if_out_octets"] = MetricType.Number,
        ["if_in_errors"] = MetricType.Number,
        ["if_up"] = MetricType.Boolean,

        // Servers (Telegraf's cpu, mem and disk inputs, in line protocol, with Telegraf's own types).
        ["usage_user"] = MetricType.Number,
        ["usage_system"] = MetricType.Number,
        ["usage_idle"] = MetricType.Number,
        ["usage_iowait"] = MetricType.Number,
        ["usage_irq"] = MetricType.Number,
        ["usage_softirq"] = MetricType.Number,
        ["usage_steal"] = MetricType.Number,
        ["usage_nice"] = MetricType.Number,
        ["usage_guest"] = MetricType.Number,
        ["usage_guest_nice"] = MetricType.Number,
        ["used_percent"] = MetricType.Number,
        ["available_percent"] = MetricType.Number,
        ["total"] = MetricType.Integer,
        ["used"] = MetricType.Integer,
        ["available"] = MetricType.Integer,
        ["free"] = MetricType.Integer,
        ["inodes_total"] = MetricType.Integer,
        ["inodes_free"] = MetricType.Integer,
        ["inodes_used"] = MetricType.Integer,
        ["ro"] = MetricType.Boolean,
        ["bytes_recv"] = MetricType.Integer,
        ["bytes_sent"] = MetricType.Integer,
        ["packets_recv"] = MetricType.Integer,
        ["packets_sent"] = MetricType.Integer,
        ["err_in"] = MetricType.Integer,
        ["err_out"] = MetricType.Integer,
        ["drop_in"] = MetricType.Integer,
        ["drop_out"] = MetricType.Integer,
        ["load1"] = MetricType.Number,
        ["load5"] = MetricType.Number,
        ["load15"] = MetricType.Number,
        ["n_cpus"] = MetricType.Integer,
        ["n_users"] = MetricType.Integer,
        ["uptime"] = MetricType.Integer,
        ["temp"] = MetricType.Number,

        ["fw"] = MetricType.String,
    };

    private readonly Dictionary<string, MetricType> _declared;

    public FieldSchema(IReadOnlyDictionary<string, MetricType>? extra = null)
    {
        _declared = new Dictionary<string, MetricType>(Declared, StringComparer.Ordinal);
        foreach (var (name, type) in extra ?? new Dictionary<string, MetricType>())
        {
            _declared[name] = type;
        }
    }

    public MetricType? TypeOf(string name) => _declared.TryGetValue(name, out var type) ? type : null;

    /// <summary>The field to store for metric <paramref name="name"/> holding <paramref name="value"/>, or the reason it cannot be stored.</summary>
    public bool TryResolve(string name, FieldValue value, out Field field, out string? error)
    {
        error = null;
        if (_declared.TryGetValue(name, out var declared))
        {
            field = new Field(name, value);
            switch (declared)
            {
                case MetricType.Number when value.Kind is FieldKind.Float:
                    return true;
                case MetricType.Number when value.Kind is FieldKind.Integer or FieldKind.UInteger:
                    field = new Field(name, FieldValue.Float(value.AsDouble()));
                    return true;
                case MetricType.Integer when value.Kind is FieldKind.Integer:
                    return true;
                case MetricType.Integer when value.Kind is FieldKind.UInteger && value.AsUInteger() <= long.MaxValue:
                    field = new Field(name, FieldValue.Integer((long)value.AsUInteger()));
                    return true;
                case MetricType.Integer when value.Kind is FieldKind.Float && double.IsInteger(value.AsDouble()) && Math.Abs(value.AsDouble()) < 9.2e18:
                    field = new Field(name, FieldValue.Integer((long)value.AsDouble()));
                    return true;
                case MetricType.Boolean when value.Kind is FieldKind.Boolean:
                case MetricType.String when value.Kind is FieldKind.String:
                    return true;
                default:
                    error = $"metric '{name}' must be {Describe(declared)}, not {Describe(value.Kind)}";
                    return false;
            }
        }

        var suffixed = value.Kind switch
        {
            FieldKind.String => StringSuffix,
            FieldKind.Boolean => BooleanSuffix,
            FieldKind.Integer or FieldKind.UInteger => IntegerSuffix,
            _ => string.Empty,
        };
        var carried = name.EndsWith(StringSuffix, StringComparison.Ordinal) ? StringSuffix
            : name.EndsWith(BooleanSuffix, StringComparison.Ordinal) ? BooleanSuffix
            : name.EndsWith(IntegerSuffix, StringComparison.Ordinal) ? IntegerSuffix
            : null;
        if (carried is not null)
        {
            field = new Field(name, value.Kind == FieldKind.UInteger && value.AsUInteger() <= long.MaxValue ? FieldValue.Integer((long)value.AsUInteger()) : value);
            if (carried == suffixed && !(value.Kind == FieldKind.UInteger && value.AsUInteger() > long.MaxValue))
            {
                return true;
            }

            error = $"metric '{name}' must be {Describe(carried)} (its name ends in '{carried}'), not {Describe(value.Kind)}";
            return false;
        }

        if (value.Kind == FieldKind.UInteger)
        {
            // One integer type per field: unsigned values that fit are stored as (signed) integers.
            if (value.AsUInteger() > long.MaxValue)
            {
                field = new Field(name, value);
                error = $"metric '{name}' is a whole number beyond 9223372036854775807";
                return false;
            }

            value = FieldValue.Integer((long)value.AsUInteger());
        }

        field = new Field(name + suffixed, value);
        return true;
    }

    private static string Describe(MetricType type) => type switch
    {
        MetricType.Number => "a number",
        MetricType.Integer => "a whole number",
        MetricType.Boolean => "a boolean",
        _ => "a string",
    };

    private static string Describe(string suffix) => suffix switch
    {
        StringSuffix => "a string",
        BooleanSuffix => "a boolean",
        _ => "a whole number",
    };

    private static string Describe(FieldKind kind) => kind switch
    {
        FieldKind.Float => "a number",
        FieldKind.Integer or FieldKind.UInteger => "a whole number",
        FieldKind.Boolean => "a boolean",
        _ => "a string",
    };
}
