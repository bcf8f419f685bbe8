using Ioc.Alerting.Announce;
using Ioc.Alerting.Service;
using Ioc.Contract.Alerts;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ioc.Alerting.Remote;

/// <summary>
/// <see cref="IAlertChanges"/> for a process without the engine, over a store that has no change feed (SQLite): every
/// <see cref="Interval"/> it re-reads the open alerts and the device health and announces what differs from the last read.
/// Kinds are inferred from the difference (a new open alert is <c>fired</c>, one gone from the open list <c>resolved</c>,
/// a new acknowledgement <c>acknowledged</c>, …). Limits: a change that comes and goes within one interval is not seen;
/// comments do not change the alert row and are not announced; health is as fresh as the engine's last persist (≤ 30 s).
/// The PostgreSQL store's LISTEN/NOTIFY feed replaces this where available.
/// </summary>
public sealed class PollingAlertChanges(IAlertQueries queries, TimeProvider time, ILogger<PollingAlertChanges> logger) : BackgroundService, IAlertChanges
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private const int MaxOpen = 10_000;
    private readonly AlertFeed _subscribers = new();
    private Dictionary<long, Alert>? _open;
    private Dictionary<string, DeviceHealth>? _health;

    public IDisposable Subscribe(Action<AlertChange>? onAlert, Action<DeviceHealth>? onHealth = null) => _subscribers.Subscribe(onAlert, onHealth);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await PollAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.ChangePollFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One read: the first only records what is there; later ones announce the differences.</summary>
    internal async Task PollAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var open = (await queries.ListOpenAsync(new AlertFilter { Limit = MaxOpen }, cancellationToken)).ToDictionary(a => a.Id);
        if (_open is not null)
        {
            foreach (var alert in open.Values)
            {
                if (!_open.TryGetValue(alert.Id, out var before))
                {
                    _subscribers.AlertChanged(new AlertChange(AlertChangeKind.Fired, alert, "engine", alert.FiredAt));
                }
                else if (alert.UpdatedAt != before.UpdatedAt)
                {
                    var (kind, actor) = Infer(before, alert);
                    _subscribers.AlertChanged(new AlertChange(kind, alert, actor, alert.UpdatedAt));
                }
            }

            foreach (var id in _open.Keys.Where(id => !open.ContainsKey(id)).ToList())
            {
                if ((await queries.GetAsync(id, cancellationToken))?.Alert is { } gone)
                {
                    _subscribers.AlertChanged(new AlertChange(AlertChangeKind.Resolved, gone, gone.ResolvedBy ?? "engine", gone.ResolvedAt ?? now));
                }
            }
        }

        _open = open;

        var health = (await queries.ListDeviceHealthAsync(cancellationToken)).ToDictionary(Key, StringComparer.Ordinal);
        if (_health is not null)
        {
            foreach (var device in health.Values)
            {
                if (!_health.TryGetValue(Key(device), out var before) || before.State != device.State || before.Since != device.Since)
                {
                    _subscribers.HealthChanged(device);
                }
            }
        }

        _health = health;
    }

    internal static (AlertChangeKind Kind, string Actor) Infer(Alert before, Alert after) => (before, after) switch
    {
        ({ State: AlertState.Firing }, { State: AlertState.Acknowledged }) => (AlertChangeKind.Acknowledged, after.AcknowledgedBy ?? "engine"),
        ({ State: AlertState.Acknowledged }, { State: AlertState.Firing }) => (AlertChangeKind.Unacknowledged, "engine"),
        _ when before.Assignee != after.Assignee => (AlertChangeKind.Assigned, after.AssignedBy ?? "engine"),
        _ when before.Silenced != after.Silenced => (after.Silenced ? AlertChangeKind.Silenced : AlertChangeKind.Unsilenced, "engine"),
        _ when before.Flapping != after.Flapping => (after.Flapping ? AlertChangeKind.FlappingStarted : AlertChangeKind.FlappingEnded, "engine"),
        _ when before.ParentId != after.ParentId => (after.ParentId is null ? AlertChangeKind.Ungrouped : AlertChangeKind.Grouped, "engine"),
        _ when after.EscalationLevel > before.EscalationLevel => (AlertChangeKind.Escalated, "engine"),
        // A repeat, or another change of the row (the condition clearing while the alert is held open).
        _ => (AlertChangeKind.Repeated, "engine"),
    };

    private static string Key(DeviceHealth health) => $"{health.Site}/{health.DeviceType}/{health.DeviceId}";
}
