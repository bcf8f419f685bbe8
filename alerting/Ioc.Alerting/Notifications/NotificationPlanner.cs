using Ioc.Alerting.Hosting;
using Ioc.Alerting.Text;
using Ioc.Contract.Alerts;
using Ioc.Storage.Operational;

namespace Ioc.Alerting.Notifications;

/// <summary>
/// Decides who hears about a change and writes it to the outbox: firing (after the group wait, to the channels whose
/// routing takes the alert), resolution (only to those told of the firing), escalation (to the level's channels).
/// Silenced alerts get a suppressed record instead, so the trail shows what was not sent and why; an alert still firing
/// when its silence ends is notified then. During a channel's quiet hours everything but a critical alert (and an
/// escalation) is held: written as pending with the note <see cref="HeldForQuietHours"/> and due when the window ends.
/// </summary>
public sealed class NotificationPlanner(AlertingOptions options, INotificationStore outbox, TimeProvider time, NotificationRoutes routes, ISiteNames sites)
{
    public const string WebhookChannel = NotificationRoutes.WebhookChannel;
    public const string EmailChannel = NotificationRoutes.EmailChannel;
    public const string TelegramChannel = NotificationRoutes.TelegramChannel;

    /// <summary>The note of a notification waiting for its channel's quiet hours to end (the dashboard shows it in words).</summary>
    public const string HeldForQuietHours = "held for quiet hours";

    public async Task PlanAsync(AlertChange change, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var alert = change.Alert;
        var zone = options.Notifications.Zone();
        switch (change.Kind)
        {
            case AlertChangeKind.Fired:
                await sites.RefreshIfStaleAsync(cancellationToken);
                foreach (var route in routes.For(alert))
                {
                    if (alert.Silenced)
                    {
                        await outbox.EnqueueAsync(alert.Id, "fired", route.Channel, route.Target, NotificationStatus.Suppressed, now, now, "silenced", cancellationToken);
                    }
                    else
                    {
                        var (due, note) = Hold(route.Options, alert, now + options.Notifications.GroupWait, null, zone);
                        await outbox.EnqueueAsync(alert.Id, "fired", route.Channel, route.Target, NotificationStatus.Pending, now, due, note, cancellationToken);
                    }
                }

                break;
            case AlertChangeKind.Unsilenced or AlertChangeKind.Ungrouped when alert.State == AlertState.Firing && !alert.Silenced:
                // Still firing when its silence ends, or when the district alert it was grouped under resolves: tell those
                // who have not heard of it yet.
                await sites.RefreshIfStaleAsync(cancellationToken);
                var known = await outbox.ForAlertAsync(alert.Id, cancellationToken);
                foreach (var route in routes.For(alert))
                {
                    if (!known.Any(n => n.Event == "fired" && n.Channel == route.Channel && n.Target == route.Target && n.Status != NotificationStatus.Suppressed))
                    {
                        var why = change.Kind == AlertChangeKind.Unsilenced ? "silence ended while firing" : "its group alert resolved while it fires";
                        var (due, note) = Hold(route.Options, alert, now, why, zone);
                        await outbox.EnqueueAsync(alert.Id, "fired", route.Channel, route.Target, NotificationStatus.Pending, now, due, note, cancellationToken);
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
                    var (due, note) = routes.Find(fired.Channel, fired.Target) is { } route ? Hold(route, alert, notBefore, null, zone) : (notBefore, null);
                    await outbox.EnqueueAsync(alert.Id, "resolved", fired.Channel, fired.Target, NotificationStatus.Pending, now, due, note, cancellationToken);
                }

                break;
            case AlertChangeKind.Escalated:
                var levels = options.Escalation.Levels;
                if (alert.EscalationLevel < 1 || alert.EscalationLevel > levels.Count)
                {
                    break;
                }

                // An escalation means nobody has acted: it is not held for quiet hours.
                foreach (var route in routes.For(levels[alert.EscalationLevel - 1]))
                {
                    await outbox.EnqueueAsync(alert.Id, "escalated", route.Channel, route.Target, NotificationStatus.Pending, now, now, null, cancellationToken);
                }

                break;
        }
    }

    /// <summary>Critical alerts go through quiet hours; the rest wait until the window ends.</summary>
    private static (DateTimeOffset Due, string? Note) Hold(ChannelRouteOptions route, Alert alert, DateTimeOffset due, string? note, TimeZoneInfo zone)
    {
        if (alert.Severity == AlertSeverity.Critical || NotificationRoutes.QuietUntil(route, due, zone) is not { } end)
        {
            return (due, note);
        }

        return (end, note is null ? HeldForQuietHours : $"{note}; {HeldForQuietHours}");
    }
}
