using System.Text.RegularExpressions;
using Ioc.Contract;
using Ioc.Contract.Alerts;
using Ioc.Contract.Model;
using Ioc.Dashboard.Configuration;
using Ioc.Dashboard.Live;

namespace Ioc.Dashboard.Data;

/// <summary>The kind of a facility unit on the floor plan.</summary>
public enum DataCenterUnitKind
{
    Crac,
    Ups,
    Pdu,
}

/// <summary>What a facility unit is doing, read from its telemetry and status.</summary>
public enum DataCenterUnitState
{
    /// <summary>Nothing heard yet.</summary>
    Unknown,

    /// <summary>Running normally (a UPS on mains).</summary>
    Running,

    /// <summary>A CRAC whose compressor or fans stopped (<c>compressor_ok</c> / <c>fan_ok</c> false).</summary>
    Failed,

    /// <summary>A UPS on its battery (<c>on_battery</c> true) with charge above the warning level.</summary>
    OnBattery,

    /// <summary>A UPS on its battery with charge at or below <see cref="DataCenterOptions.UpsBatteryWarnPct"/>.</summary>
    BatteryLow,

    /// <summary>Offline (status or the engine's verdict: offline or silent).</summary>
    Offline,
}

public static class DataCenterUnitStates
{
    /// <summary>The value of <c>data-state</c> and of the CSS class: running, failed, on-battery, battery-low, offline, unknown.</summary>
    public static string Name(DataCenterUnitState state) => state switch
    {
        DataCenterUnitState.Running => "running",
        DataCenterUnitState.Failed => "failed",
        DataCenterUnitState.OnBattery => "on-battery",
        DataCenterUnitState.BatteryLow => "battery-low",
        DataCenterUnitState.Offline => "offline",
        _ => "unknown",
    };
}

/// <summary>A device of the data center with its place on the floor and the open alerts about it.</summary>
public sealed record DataCenterDevice(DeviceAddress Address, string? Row, string? Rack, DeviceLiveState? Live, IReadOnlyList<Alert> Alerts)
{
    /// <summary>Offline by its status or silent/offline by the alert engine's verdict.</summary>
    public bool IsDown => Live?.State == DeviceState.Offline || Live?.Health?.State is HealthState.Offline or HealthState.Silent;

    public Alert? WorstAlert => DataCenterFloor.Worst(Alerts);

    public bool UnderCriticalAlert => Alerts.Any(a => a.Severity == AlertSeverity.Critical);
}

/// <summary>A CRAC, UPS or PDU with its state and the figures the plan shows.</summary>
public sealed record DataCenterUnit(
    DataCenterDevice Device,
    DataCenterUnitKind Kind,
    DataCenterUnitState State,
    double? ChargePct,
    double? LoadPct,
    double? RuntimeMin,
    double? PowerKw,
    double? SupplyC)
{
    /// <summary>The value of <c>data-kind</c>: crac, ups or pdu.</summary>
    public string KindName => Kind.ToString().ToLowerInvariant();

    public string StateName => DataCenterUnitStates.Name(State);
}

/// <summary>A rack: its devices, the worst open alert on any of them, and the inlet temperature (hottest sensor).</summary>
public sealed record DataCenterRack(string Name, string Row, IReadOnlyList<DataCenterDevice> Devices, IReadOnlyList<DataCenterUnit> Pdus, double? InletC, int HeatBand)
{
    public Alert? WorstAlert => DataCenterFloor.Worst(Devices.SelectMany(d => d.Alerts));

    /// <summary><c>critical</c>, <c>major</c>, <c>minor</c>, <c>warning</c>, <c>info</c> or <c>none</c>.</summary>
    public string Severity => WorstAlert is { } a ? AlertSeverities.Name(a.Severity) : "none";

    public int Down => Devices.Count(d => d.IsDown);
}

/// <summary>A row of racks with its in-row units (CRAC, UPS) and any other device placed in the row without a rack.</summary>
public sealed record DataCenterRow(string Name, IReadOnlyList<DataCenterRack> Racks, IReadOnlyList<DataCenterUnit> Units, IReadOnlyList<DataCenterDevice> Others)
{
    public double? HottestInletC => Racks.Max(r => r.InletC);
}

/// <summary>
/// Data-center availability now: the share of the data center's devices that are up (not offline, not silent) and not
/// the subject of an open critical alert. A failed CRAC with its critical alert, or a rack sensor at 35 °C with one,
/// lowers it at once; a device under a major alert, or one only acknowledged, still counts as available unless critical.
/// </summary>
public sealed record DataCenterAvailability(int Devices, int Down, int UnderCritical, int Available)
{
    /// <summary>100 × available / devices; null when the data center has no known device.</summary>
    public double? Percent => Devices == 0 ? null : 100.0 * Available / Devices;

    public static DataCenterAvailability Of(IEnumerable<DataCenterDevice> devices)
    {
        int total = 0, down = 0, critical = 0, available = 0;
        foreach (var device in devices)
        {
            total++;
            down += device.IsDown ? 1 : 0;
            critical += device.UnderCriticalAlert ? 1 : 0;
            available += device.IsDown || device.UnderCriticalAlert ? 0 : 1;
        }

        return new DataCenterAvailability(total, down, critical, available);
    }
}

/// <summary>
/// The floor plan of the data center, built from the devices' own data: rows and racks from their <c>row</c> and
/// <c>rack</c> tags, or else from the fleet's naming convention (<c>DC-CRAC-B1</c> → row B; <c>DC-B03-…</c> → rack B03
/// in row B); see docs/telemetry-contract.md. Devices placed nowhere are listed as <see cref="Unplaced"/>.
/// </summary>
public sealed partial record DataCenterFloor(
    IReadOnlyList<DataCenterRow> Rows,
    IReadOnlyList<DataCenterDevice> Unplaced,
    IReadOnlyList<DataCenterUnit> UnplacedUnits,
    IReadOnlyList<Alert> Alerts,
    DataCenterAvailability Availability,
    bool AlertsKnown)
{
    public static DataCenterFloor Empty { get; } = new([], [], [], [], new DataCenterAvailability(0, 0, 0, 0), false);

    /// <summary>The most severe alert, firing before acknowledged, newest first; null for none.</summary>
    public static Alert? Worst(IEnumerable<Alert> alerts) => Order(alerts).FirstOrDefault();

    /// <summary>Severity first, firing before acknowledged, then newest.</summary>
    public static IEnumerable<Alert> Order(IEnumerable<Alert> alerts) =>
        alerts.OrderByDescending(a => a.Severity).ThenBy(a => a.State).ThenByDescending(a => a.FiredAt).ThenByDescending(a => a.Id);

    /// <summary>Index of the heat-map band of <paramref name="celsius"/> (0 … scale.Count); -1 without a reading.</summary>
    public static int HeatBand(double? celsius, IReadOnlyList<double> scale)
    {
        if (celsius is not { } c)
        {
            return -1;
        }

        var band = 0;
        while (band < scale.Count && c >= scale[band])
        {
            band++;
        }

        return band;
    }

    /// <summary>Row and rack of a device: tags first, then the naming convention; (null, null) when neither says.</summary>
    public static (string? Row, string? Rack) Place(DeviceAddress address, IReadOnlyDictionary<string, string>? tags, DataCenterOptions options)
    {
        var row = tags?.GetValueOrDefault(options.RowTag);
        var rack = tags?.GetValueOrDefault(options.RackTag);
        if (row is null && rack is null)
        {
            if (CracName().Match(address.DeviceId) is { Success: true } crac)
            {
                row = crac.Groups["row"].Value;
            }
            else if (RackName().Match(address.DeviceId) is { Success: true } inRack)
            {
                rack = inRack.Groups["rack"].Value;
            }
        }

        if (row is null && rack is not null && RackLabel().Match(rack) is { Success: true } label)
        {
            row = label.Groups["row"].Value;
        }

        return (row, rack);
    }

    public static DataCenterFloor Build(IEnumerable<DeviceAddress> addresses, Func<DeviceAddress, DeviceLiveState?> live, IReadOnlyList<Alert>? alerts, DataCenterOptions options)
    {
        var open = alerts ?? [];
        var byDevice = open.Where(a => a.DeviceId is not null).ToLookup(a => a.DeviceId!, StringComparer.Ordinal);
        var devices = addresses
            .DistinctBy(a => a.ToString())
            .Select(a =>
            {
                var state = live(a);
                var (row, rack) = Place(a, state?.Tags, options);
                var about = byDevice[a.DeviceId].Where(x => x.DeviceType is null || x.DeviceType == a.DeviceType).ToList();
                return new DataCenterDevice(a, row, rack, state, about);
            })
            .ToList();

        var scale = options.HeatScale;
        var rows = devices.Where(d => d.Row is not null)
            .GroupBy(d => d.Row!, StringComparer.Ordinal)
            .OrderBy(g => g.Key.Length).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var racks = g.Where(d => d.Rack is not null)
                    .GroupBy(d => d.Rack!, StringComparer.Ordinal)
                    .OrderBy(r => r.Key, StringComparer.Ordinal)
                    .Select(r =>
                    {
                        var members = r.OrderBy(d => d.Address.DeviceId, StringComparer.Ordinal).ToList();
                        var inlet = members.Where(d => d.Address.DeviceType == DeviceTypes.EnvironmentSensor)
                            .Select(d => Number(d, options.InletTemperatureMetric)).Max();
                        var pdus = members.Where(d => d.Address.DeviceType == DeviceTypes.Pdu).Select(d => Unit(d, options)!).ToList();
                        return new DataCenterRack(r.Key, g.Key, members, pdus, inlet, HeatBand(inlet, scale));
                    })
                    .ToList();
                var loose = g.Where(d => d.Rack is null).OrderBy(d => d.Address.DeviceId, StringComparer.Ordinal).ToList();
                var units = loose.Select(d => Unit(d, options)).OfType<DataCenterUnit>().OrderBy(u => u.Kind).ThenBy(u => u.Device.Address.DeviceId, StringComparer.Ordinal).ToList();
                var others = loose.Where(d => KindOf(d.Address.DeviceType) is null).ToList();
                return new DataCenterRow(g.Key, racks, units, others);
            })
            .ToList();

        var unplaced = devices.Where(d => d.Row is null).OrderBy(d => d.Address.DeviceId, StringComparer.Ordinal).ToList();
        return new DataCenterFloor(
            rows,
            [.. unplaced.Where(d => KindOf(d.Address.DeviceType) is null)],
            [.. unplaced.Select(d => Unit(d, options)).OfType<DataCenterUnit>()],
            [.. Order(open)],
            DataCenterAvailability.Of(devices),
            alerts is not null);
    }

    /// <summary>The unit a CRAC, UPS or PDU device is, with its state; null for other device types.</summary>
    public static DataCenterUnit? Unit(DataCenterDevice device, DataCenterOptions options)
    {
        if (KindOf(device.Address.DeviceType) is not { } kind)
        {
            return null;
        }

        var heard = device.Live is { Metrics.Count: > 0 } || device.Live?.State is not null;
        var charge = Number(device, options.UpsBatteryMetric);
        var state = device.IsDown ? DataCenterUnitState.Offline
            : kind switch
            {
                DataCenterUnitKind.Crac when Flag(device, options.CracCompressorOkMetric) == false || Flag(device, options.CracFanOkMetric) == false => DataCenterUnitState.Failed,
                DataCenterUnitKind.Ups when Flag(device, options.UpsOnBatteryMetric) == true =>
                    charge is { } c && c <= options.UpsBatteryWarnPct ? DataCenterUnitState.BatteryLow : DataCenterUnitState.OnBattery,
                _ => heard ? DataCenterUnitState.Running : DataCenterUnitState.Unknown,
            };
        return new DataCenterUnit(
            device,
            kind,
            state,
            kind == DataCenterUnitKind.Ups ? charge : null,
            kind == DataCenterUnitKind.Ups ? Number(device, options.UpsLoadMetric) : null,
            kind == DataCenterUnitKind.Ups ? Number(device, options.UpsRuntimeMetric) : null,
            kind switch
            {
                DataCenterUnitKind.Pdu => Number(device, options.PduPowerMetric),
                DataCenterUnitKind.Crac => Number(device, options.CracCoolingPowerMetric),
                _ => null,
            },
            kind == DataCenterUnitKind.Crac ? Number(device, options.CracSupplyTemperatureMetric) : null);
    }

    public static DataCenterUnitKind? KindOf(string deviceType) => deviceType switch
    {
        DeviceTypes.Cooling => DataCenterUnitKind.Crac,
        DeviceTypes.Ups => DataCenterUnitKind.Ups,
        DeviceTypes.Pdu => DataCenterUnitKind.Pdu,
        _ => null,
    };

    public static double? Number(DataCenterDevice device, string metric) =>
        device.Live?.Metrics.TryGetValue(metric, out var v) == true && v.Kind is not FieldKind.String and not FieldKind.Boolean ? v.AsDouble() : null;

    private static bool? Flag(DataCenterDevice device, string metric) =>
        device.Live?.Metrics.TryGetValue(metric, out var v) != true ? null
        : v.Kind == FieldKind.Boolean ? v.AsBoolean()
        : v.Kind == FieldKind.String ? null
        : v.AsDouble() != 0;

    [GeneratedRegex("^DC-CRAC-(?<row>[A-Z])[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex CracName();

    [GeneratedRegex("^DC-(?<rack>[A-Z][0-9]{2})-", RegexOptions.CultureInvariant)]
    private static partial Regex RackName();

    [GeneratedRegex("^(?<row>[A-Z]+)[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex RackLabel();
}
