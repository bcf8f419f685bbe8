using Ioc.Alerting.Service;
using Ioc.Contract.Alerts;
using Ioc.Dashboard.Configuration;
using Ioc.Dashboard.Live;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Ioc.Dashboard.Data;

/// <summary>
/// The data center as one picture: the floor plan (<see cref="DataCenterFloor"/>), its open alerts and its availability
/// now (<see cref="DataCenterAvailability"/>), from the fleet directory, the live device states and the open alerts of
/// the data-center site. The one place that computes data-center availability: the data-center page and the wall
/// screen read it here. Pages follow <see cref="DeviceStateStore"/> and <see cref="AlertAnnouncements"/> (both
/// throttled) and read again on a change. Live telemetry of the whole province signals every 100 ms, so the open
/// alerts are read from the store again only when <see cref="AlertAnnouncements"/> heard a change (or after
/// <see cref="AlertsFreshFor"/>, in case a change went unheard); the devices' states are read from memory every time.
/// </summary>
public sealed class DataCenterStatus
{
    /// <summary>More open alerts than a data center ever has; the list is read whole.</summary>
    public const int MaxAlerts = 10_000;

    public static readonly TimeSpan AlertsFreshFor = TimeSpan.FromSeconds(15);

    private readonly IFleetDirectory _fleet;
    private readonly DeviceStateStore _live;
    private readonly AlertAnnouncements _announcements;
    private readonly TimeProvider _time;
    private readonly IAlertQueries? _alerts;
    private readonly DataCenterOptions _options;
    private AlertsRead? _lastAlerts;

    public DataCenterStatus(
        IFleetDirectory fleet,
        DeviceStateStore live,
        AlertAnnouncements announcements,
        TimeProvider time,
        IServiceProvider services,
        IOptions<DashboardOptions> dashboard,
        IOptions<DataCenterOptions> options)
    {
        _fleet = fleet;
        _live = live;
        _announcements = announcements;
        _time = time;
        _alerts = services.GetService<IAlertQueries>();
        _options = options.Value;
        Site = dashboard.Value.DataCenterSite;
    }

    /// <summary>The data center's site slug (<c>Ioc:Dashboard:DataCenterSite</c>).</summary>
    public string Site { get; }

    public DataCenterOptions Options => _options;

    /// <summary>False when no alert engine is connected: the plan then shows no alert colours and says so.</summary>
    public bool HasAlertEngine => _alerts is not null;

    /// <summary>
    /// The floor plan now. Devices are those the fleet directory lists for the site plus any heard live but not yet
    /// listed (the directory is cached); alerts are the site's open ones (firing or acknowledged).
    /// </summary>
    public async Task<DataCenterFloor> ReadAsync(CancellationToken cancellationToken)
    {
        var listed = (await _fleet.ListAsync(cancellationToken)).Where(d => d.Address.Site == Site).Select(d => d.Address);
        var heard = _live.Snapshot().Where(s => s.Address.Site == Site).Select(s => s.Address);
        var alerts = await OpenAlertsAsync(cancellationToken);
        return DataCenterFloor.Build(listed.Concat(heard), _live.Find, alerts, _options);
    }

    private async Task<IReadOnlyList<Alert>?> OpenAlertsAsync(CancellationToken cancellationToken)
    {
        if (_alerts is null)
        {
            return null;
        }

        // The version is taken before the read: a change announced during it makes the next call read again.
        var version = _announcements.Version;
        var now = _time.GetUtcNow();
        if (Volatile.Read(ref _lastAlerts) is { } last && last.Version == version && now - last.At < AlertsFreshFor)
        {
            return last.Alerts;
        }

        var alerts = await _alerts.ListOpenAsync(new AlertFilter { Site = Site, Limit = MaxAlerts }, cancellationToken);
        Volatile.Write(ref _lastAlerts, new AlertsRead(version, now, alerts));
        return alerts;
    }

    private sealed record AlertsRead(long Version, DateTimeOffset At, IReadOnlyList<Alert> Alerts);

    /// <summary>Availability now, as <see cref="DataCenterAvailability"/> defines it.</summary>
    public async Task<DataCenterAvailability> AvailabilityAsync(CancellationToken cancellationToken) =>
        (await ReadAsync(cancellationToken)).Availability;
}
