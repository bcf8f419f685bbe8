using Ioc.Alerting.Announce;
using Ioc.Contract.Alerts;
using Ioc.Alerting.Notifications;
using Microsoft.Extensions.Logging;

namespace Ioc.Alerting.Engine;

/// <summary>Where every alert change goes: the log, the announcers (in-process feed, MQTT) and the notification outbox.</summary>
public sealed class AlertChangePublisher(IEnumerable<IAlertAnnouncer> announcers, NotificationPlanner planner, ILogger<AlertChangePublisher> logger)
{
    private readonly IAlertAnnouncer[] _announcers = announcers.ToArray();

    public async Task PublishAsync(AlertChange change, CancellationToken cancellationToken)
    {
        Log.AlertChanged(logger, change.Alert.Id, change.Kind.ToString(), change.Alert.RuleId, change.Alert.Subject);
        await planner.PlanAsync(change, cancellationToken);
        foreach (var announcer in _announcers)
        {
            announcer.AlertChanged(change);
        }
    }

    public void PublishHealth(DeviceHealth health)
    {
        foreach (var announcer in _announcers)
        {
            announcer.HealthChanged(health);
        }
    }
}
