using Ioc.Alerting.Hosting;
using Ioc.Contract.Alerts;
using Ioc.Storage.Operational;

namespace Ioc.Alerting.Notifications;

/// <summary>
/// Decides who hears about a change and writes it to the outbox: firing (after the group wait), resolution (only to those
/// told of the firing), escalation (to the level's targets). Silenced alerts get a suppressed record instead, so the trail
/// shows what was not sent and why; an alert still firing when its silence ends is notified then.
/// </summary>
public sealed class NotificationPlanner(AlertingOptions options, INotificationStore outbox, TimeProvider time)
{
    public const string WebhookChannel = "webhook";
    public const string EmailChannel = "email";

    public async Task PlanAsync(AlertChange change, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var alert = change.Alert;
        switch (change.Kind)
        {
            case AlertChangeKind.Fired:
                foreach (var (channel, target) in RoutesFor(alert.Severity))
                {
                    if (alert.Silenced)
                    {
                        await outbox.EnqueueAsync(alert.Id, "fired", channel, target, NotificationStatus.Suppressed, now, now, "silenced", cancellationToken);
                    }
                    else
                    {
                        await outbox.EnqueueAsync(alert.Id, "fired", channel, target, NotificationStatus.Pending, now, now + options.Notifications.GroupWait, null, cancellationToken);
                    }
                }

                break;
            case AlertChangeKind.Unsilenced or AlertChangeKind.Ungrouped when alert.State == AlertState.Firing && !alert.Silenced:
                // Still firing when its silence ends, or when the district alert it was grouped under resolves: tell those
                // who have not heard of it yet.
                var known = await outbox.ForAlertAsync(alert.Id, cancellationToken);
                foreach (var (channel, target) in RoutesFor(alert.Severity))
                {
                    if (!known.Any(n => n.Event == "fired" && n.Channel == channel && n.Target == target && n.Status != NotificationStatus.Suppressed))
                    {
                        await outbox.EnqueueAsync(alert.Id, "fired", channel, target, NotificationStatus.Pending, now, now, change.Kind == AlertChangeKind.Unsilenced ? "silence ended while firing" : "its group alert resolved while it fires", cancellationToken);
                    }
                }

                break;
            case AlertChangeKind.Resolved:
                var sent = await outbox.ForAlertAsync(alert.Id, cancellationToken);
                foreach (var fired in sent.Where(n => n.Event is "fired" or "escalated" && n.Status != NotificationStatus.Suppressed))
                {
                    if (sent.Any(n => n.Event == "resolved" && n.Channel == fired.Channel && n.Target == fired.Target))
                    {
                        continue;
                    }

                    var notBefore = fired.Status == NotificationStatus.Pending && fired.NextAttemptAt > now ? fired.NextAttemptAt : now;
                    await outbox.EnqueueAsync(alert.Id, "resolved", fired.Channel, fired.Target, NotificationStatus.Pending, now, notBefore, null, cancellationToken);
                }

                break;
            case AlertChangeKind.Escalated:
                var levels = options.Escalation.Levels;
                if (alert.EscalationLevel < 1 || alert.EscalationLevel > levels.Count)
                {
                    break;
                }

                var level = levels[alert.EscalationLevel - 1];
                foreach (var name in level.Webhooks)
                {
                    await outbox.EnqueueAsync(alert.Id, "escalated", WebhookChannel, name, NotificationStatus.Pending, now, now, null, cancellationToken);
                }

                foreach (var address in level.Emails)
                {
                    await outbox.EnqueueAsync(alert.Id, "escalated", EmailChannel, address, NotificationStatus.Pending, now, now, null, cancellationToken);
                }

                break;
        }
    }

    private IEnumerable<(string Channel, string Target)> RoutesFor(AlertSeverity severity)
    {
        foreach (var hook in options.Notifications.Webhooks.Where(h => severity >= h.MinSeverity))
        {
            yield return (WebhookChannel, hook.Name);
        }

        if (options.Notifications.Email is { } email && severity >= email.MinSeverity)
        {
            foreach (var address in email.To)
            {
                yield return (EmailChannel, address);
            }
        }
    }
}
