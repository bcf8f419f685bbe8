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
/// throttled) and read again on a change.
/// </summary>
public sealed class DataCenterStatus
{
    /// <summary>More open alerts than a data center ever has; the list is read whole.</summary>
    public const int MaxAlerts = 10_000;

    private readonly FleetView _fleet;
    private readonly DeviceStateStore _live;
    private readonly IAlertQueries? _alerts;
    private readonly DataCenterOptions _options;

    public DataCenterStatus(FleetView fleet, DeviceStateStore live, IServiceProvider services, IOptions<DashboardOptions> dashboard, IOptions<DataCenterOptions> options)
    {
        _fleet = fleet;
        _live = live;
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
        var listed = (await _fleet.RowsAsync(cancellationToken)).Where(r => r.Device.Address.Site == Site).Select(r => r.Device.Address);
        var heard = _live.Snapshot().Where(s => s.Address.Site == Site).Select(s => s.Address);
        IReadOnlyList<Alert>? alerts = _alerts is null
            ? null
            : await _alerts.ListOpenAsync(new AlertFilter { Site = Site, Limit = MaxAlerts }, cancellationToken);
        return DataCenterFloor.Build(listed.Concat(heard), _live.Find, alerts, _options);
    }

    /// <summary>Availability now, as <see cref="DataCenterAvailability"/> defines it.</summary>
    public async Task<DataCenterAvailability> AvailabilityAsync(CancellationToken cancellationToken) =>
        (await ReadAsync(cancellationToken)).Availability;
}
