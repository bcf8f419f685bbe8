using Ioc.Dashboard.Configuration;
using Microsoft.Extensions.Options;

namespace Ioc.Dashboard.Data;

/// <summary>Reads status history for a window and turns it into an <see cref="UptimeReport"/>.</summary>
public sealed class UptimeService
{
    private readonly TelemetryHistory _history;
    private readonly IFleetDirectory _fleet;
    private readonly DashboardOptions _options;

    public UptimeService(TelemetryHistory history, IFleetDirectory fleet, IOptions<DashboardOptions> options)
    {
        _history = history;
        _fleet = fleet;
        _options = options.Value;
    }

    public async Task<UptimeReport> ReportAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var initial = await _history.StatusAtAsync(from, TimeSpan.FromDays(60), cancellationToken);
        var changes = await _history.StatusChangesAsync(null, null, from, to, cancellationToken);
        var devices = await _fleet.ListAsync(cancellationToken);
        return UptimeCalculator.Report(initial, changes, devices.Select(d => d.Address), _options.DataCenterSite, from, to);
    }
}
