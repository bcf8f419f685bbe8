using Ioc.Contract.Model;
using Ioc.Dashboard.Live;

namespace Ioc.Dashboard.Data;

public enum Health
{
    Unknown,
    Healthy,
    Degraded,
    Critical,
}

/// <summary>A device with its live state: what the lists and maps show.</summary>
public sealed record DeviceRow(FleetDevice Device, DeviceLiveState? Live)
{
    public bool IsOnline => Live?.State == DeviceState.Online;

    public bool IsOffline => Live?.State == DeviceState.Offline;
}

/// <summary>Online/total of a group of devices, and the health colour that follows.</summary>
public sealed record GroupHealth(string Key, int Online, int Offline, int Total)
{
    public double OnlineRatio => Total == 0 ? 0 : (double)Online / Total;

    /// <summary>Healthy at 98 % online or more, degraded from 90 %, critical below; unknown with no reporting device.</summary>
    public Health Health => Online + Offline == 0 ? Health.Unknown
        : OnlineRatio >= 0.98 ? Health.Healthy
        : OnlineRatio >= 0.90 ? Health.Degraded
        : Health.Critical;
}

/// <summary>Joins the fleet directory with live state, and sums it by district, site and type.</summary>
public sealed class FleetView
{
    private readonly IFleetDirectory _directory;
    private readonly DeviceStateStore _live;

    public FleetView(IFleetDirectory directory, DeviceStateStore live)
    {
        _directory = directory;
        _live = live;
    }

    public async Task<IReadOnlyList<DeviceRow>> RowsAsync(CancellationToken cancellationToken)
    {
        var devices = await _directory.ListAsync(cancellationToken);
        return [.. devices.Select(d => new DeviceRow(d, _live.Find(d.Address)))];
    }

    public static IReadOnlyDictionary<string, GroupHealth> By(IEnumerable<DeviceRow> rows, Func<DeviceRow, string?> key) =>
        rows.Select(r => (Key: key(r), Row: r))
            .Where(x => x.Key is not null)
            .GroupBy(x => x.Key!, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => new GroupHealth(g.Key, g.Count(x => x.Row.IsOnline), g.Count(x => x.Row.IsOffline), g.Count()),
                StringComparer.Ordinal);

    public static GroupHealth Total(IEnumerable<DeviceRow> rows, string key)
    {
        var list = rows as IReadOnlyCollection<DeviceRow> ?? [.. rows];
        return new GroupHealth(key, list.Count(r => r.IsOnline), list.Count(r => r.IsOffline), list.Count);
    }
}
