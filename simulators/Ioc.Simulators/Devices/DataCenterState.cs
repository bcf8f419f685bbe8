using Ioc.Contract;
using Ioc.Simulators.Determinism;
using Ioc.Simulators.Fleet;

namespace Ioc.Simulators.Devices;

/// <summary>
/// The shared physics of the data center: server utilisation (from which rack power, UPS load and heat follow) and one
/// thermal state per row, so a rack's env sensor, its servers and the row's CRAC tell one coherent story.
/// </summary>
public sealed class DataCenterState
{
    /// <summary>Capacity of one UPS unit in watts.</summary>
    public const double UpsCapacityWatts = 30_000;

    private readonly Dictionary<string, ulong[]> _serversByRack;
    private readonly Dictionary<string, ulong[]> _serversByRow;
    private readonly ulong[] _allServers;
    private readonly Dictionary<string, RowThermal> _rows = new(StringComparer.Ordinal);

    public DataCenterState(IEnumerable<(Device Device, ulong Key)> servers, int upsUnits)
    {
        var list = servers.Where(s => s.Device.Type == DeviceTypes.Server).ToList();
        _serversByRack = list.GroupBy(s => s.Device.Tag("rack") ?? "").ToDictionary(g => g.Key, g => g.Select(s => s.Key).ToArray(), StringComparer.Ordinal);
        _serversByRow = list.GroupBy(s => s.Device.Tag("row") ?? "").ToDictionary(g => g.Key, g => g.Select(s => s.Key).ToArray(), StringComparer.Ordinal);
        _allServers = list.Select(s => s.Key).ToArray();
        UpsUnits = Math.Max(1, upsUnits);
    }

    public int UpsUnits { get; }

    public static double ServerUtilization(ulong serverKey, DateTimeOffset at)
    {
        var weight = 0.5 + (0.8 * StableHash.Unit(StableHash.Combine(serverKey, 0x5E7UL)));
        var minute = at.ToUnixTimeSeconds() / 60;
        return Math.Clamp((weight * DailyCurve.Compute(at)) + (0.05 * Noise.Gaussian(serverKey, 0xC9UL, minute)), 0.02, 0.98);
    }

    public static double ServerWatts(double utilization) => 140 + (260 * utilization);

    public double RackWatts(string rack, DateTimeOffset at) =>
        _serversByRack.TryGetValue(rack, out var keys) ? keys.Sum(k => ServerWatts(ServerUtilization(k, at))) : 0;

    public double TotalWatts(DateTimeOffset at) => _allServers.Sum(k => ServerWatts(ServerUtilization(k, at)));

    public double RowUtilization(string row, DateTimeOffset at) =>
        _serversByRow.TryGetValue(row, out var keys) && keys.Length > 0 ? keys.Average(k => ServerUtilization(k, at)) : 0.3;

    /// <summary>The row's cold-aisle (inlet) temperature, advanced to <paramref name="at"/>.</summary>
    public RowThermal Row(string row)
    {
        if (!_rows.TryGetValue(row, out var thermal))
        {
            thermal = new RowThermal();
            _rows[row] = thermal;
        }

        return thermal;
    }
}

/// <summary>
/// Air temperatures of one row. With cooling the inlet settles near 21–24 °C; when the row's CRAC fails it climbs
/// toward 33–45 °C (time constant 8 minutes), and falls back (5 minutes) once cooling returns.
/// </summary>
public sealed class RowThermal
{
    private DateTimeOffset? _last;
    private double _inlet = double.NaN;

    public double Inlet { get; private set; }

    public double Supply { get; private set; }

    public double Return { get; private set; }

    public void Advance(DateTimeOffset at, bool coolingFailed, double utilization)
    {
        var target = coolingFailed ? 33 + (12 * utilization) : 21 + (3 * utilization);
        if (double.IsNaN(_inlet))
        {
            _inlet = target;
        }
        else if (_last is { } last && at > last)
        {
            var tau = coolingFailed ? 480.0 : 300.0;
            _inlet = target + ((_inlet - target) * Math.Exp(-(at - last).TotalSeconds / tau));
        }

        if (_last is null || at > _last)
        {
            _last = at;
        }

        Inlet = _inlet;
        Supply = coolingFailed ? _inlet - 0.4 : 17.5 + (0.8 * utilization);
        Return = _inlet + 9 + (6 * utilization);
    }
}
