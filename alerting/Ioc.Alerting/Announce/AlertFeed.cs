using Ioc.Contract.Alerts;

namespace Ioc.Alerting.Announce;

/// <summary>
/// In-process subscription to alert and health changes, for a dashboard hosted in the same process and for tests that
/// wait for an alert. Handlers run on the announcing thread: keep them short (a Blazor store should throttle and hop
/// to its own context).
/// </summary>
public sealed class AlertFeed : IAlertAnnouncer, IAlertChanges
{
    private readonly Lock _lock = new();
    private ImmutableSubscribers _subscribers = new([], []);

    public IDisposable Subscribe(Action<AlertChange>? onAlert, Action<DeviceHealth>? onHealth = null)
    {
        lock (_lock)
        {
            _subscribers = new(
                onAlert is null ? _subscribers.Alerts : [.. _subscribers.Alerts, onAlert],
                onHealth is null ? _subscribers.Health : [.. _subscribers.Health, onHealth]);
        }

        return new Subscription(this, onAlert, onHealth);
    }

    public void AlertChanged(AlertChange change)
    {
        foreach (var handler in _subscribers.Alerts)
        {
            handler(change);
        }
    }

    public void HealthChanged(DeviceHealth health)
    {
        foreach (var handler in _subscribers.Health)
        {
            handler(health);
        }
    }

    private void Unsubscribe(Action<AlertChange>? onAlert, Action<DeviceHealth>? onHealth)
    {
        lock (_lock)
        {
            _subscribers = new(
                _subscribers.Alerts.Where(h => !ReferenceEquals(h, onAlert)).ToArray(),
                _subscribers.Health.Where(h => !ReferenceEquals(h, onHealth)).ToArray());
        }
    }

    private sealed record ImmutableSubscribers(Action<AlertChange>[] Alerts, Action<DeviceHealth>[] Health);

    private sealed class Subscription(AlertFeed feed, Action<AlertChange>? onAlert, Action<DeviceHealth>? onHealth) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                feed.Unsubscribe(onAlert, onHealth);
            }
        }
    }
}
