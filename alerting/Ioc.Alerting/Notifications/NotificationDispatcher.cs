using System.Diagnostics;
using Ioc.Alerting.Hosting;
using Ioc.Contract.Alerts;
using Ioc.Storage.Operational;
using Microsoft.Extensions.Logging;

namespace Ioc.Alerting.Notifications;

/// <summary>
/// Works through the outbox: sends what is due, records every attempt, retries failures with exponential backoff
/// (<c>InitialBackoff × 2^(attempt-1)</c>, capped at <c>MaxBackoff</c>) up to <c>MaxAttempts</c>, and suppresses what no
/// longer needs saying (alert resolved before its group wait, silenced, or grouped under a parent).
/// </summary>
public sealed class NotificationDispatcher(
    INotificationStore outbox,
    IAlertStore alerts,
    IEnumerable<INotificationSender> senders,
    AlertingOptions options,
    TimeProvider time,
    ILogger<NotificationDispatcher> logger)
{
    private readonly Dictionary<string, INotificationSender> _senders = senders.ToDictionary(s => s.Channel, StringComparer.Ordinal);

    /// <summary>Sends everything due now; returns how many notifications were handled.</summary>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken)
    {
        var handled = 0;
        while (true)
        {
            var due = await outbox.DueAsync(time.GetUtcNow(), 50, cancellationToken);
            if (due.Count == 0)
            {
                return handled;
            }

            foreach (var notification in due)
            {
                await HandleAsync(notification, cancellationToken);
                handled++;
            }
        }
    }

    public Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken) => outbox.NextDueAsync(cancellationToken);

    public TimeSpan BackoffAfter(int attempt)
    {
        var settings = options.Notifications;
        var ticks = settings.InitialBackoff.Ticks * Math.Pow(2, Math.Max(0, attempt - 1));
        return ticks >= settings.MaxBackoff.Ticks ? settings.MaxBackoff : TimeSpan.FromTicks((long)ticks);
    }

    private async Task HandleAsync(NotificationRecord notification, CancellationToken cancellationToken)
    {
        var alert = await alerts.GetAsync(notification.AlertId, cancellationToken);
        if (alert is null)
        {
            await outbox.SuppressAsync(notification, "alert no longer exists", cancellationToken);
            return;
        }

        if (await SuppressionReasonAsync(notification, alert, cancellationToken) is { } reason)
        {
            await outbox.SuppressAsync(notification, reason, cancellationToken);
            return;
        }

        var attempt = notification.Attempts + 1;
        var started = time.GetUtcNow();
        var stopwatch = Stopwatch.StartNew();
        string detail;
        bool success;
        var permanent = false;
        TimeSpan? retryAfter = null;
        if (!_senders.TryGetValue(notification.Channel, out var sender))
        {
            success = false;
            detail = $"no sender for channel '{notification.Channel}'";
        }
        else
        {
            try
            {
                detail = await sender.SendAsync(notification, alert, cancellationToken);
                success = true;
            }
            catch (DeliveryException ex)
            {
                success = false;
                detail = ex.Message;
                permanent = ex.Permanent;
                retryAfter = ex.RetryAfter;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Whatever went wrong is this attempt's outcome: recorded, retried with backoff, never a stuck outbox.
                success = false;
                detail = ex.Message;
            }
        }

        var record = new DeliveryAttempt(0, notification.Id, attempt, started, success, stopwatch.Elapsed, permanent ? $"{detail} (permanent: not retried)" : detail);
        if (success)
        {
            await outbox.RecordAttemptAsync(notification, record, NotificationStatus.Delivered, started, cancellationToken);
            return;
        }

        Log.DeliveryFailed(logger, notification.Id, notification.Channel, notification.Target, attempt, record.Detail);
        var giveUp = permanent || attempt >= options.Notifications.MaxAttempts;
        var next = retryAfter is { } wait && wait > TimeSpan.Zero ? time.GetUtcNow() + wait : time.GetUtcNow() + BackoffAfter(attempt);
        await outbox.RecordAttemptAsync(
            notification,
            record,
            giveUp ? NotificationStatus.Failed : NotificationStatus.Pending,
            giveUp ? started : next,
            cancellationToken);
    }

    private async Task<string?> SuppressionReasonAsync(NotificationRecord notification, Alert alert, CancellationToken cancellationToken)
    {
        switch (notification.Event)
        {
            case "fired":
                if (!alert.IsOpen)
                {
                    return notification.LastError?.Contains(NotificationPlanner.HeldForQuietHours, StringComparison.Ordinal) == true
                        ? "resolved during quiet hours"
                        : "resolved before the group wait ended";
                }

                if (alert.Silenced)
                {
                    return "silenced";
                }

                if (alert.ParentId is { } parentId && await alerts.GetAsync(parentId, cancellationToken) is { IsOpen: true })
                {
                    return $"grouped under alert #{parentId}";
                }

                return null;
            case "resolved":
                var all = await outbox.ForAlertAsync(alert.Id, cancellationToken);
                var told = all.Any(n => n.Event is "fired" or "escalated" && n.Channel == notification.Channel && n.Target == notification.Target
                    && n.Status is NotificationStatus.Delivered or NotificationStatus.Pending or NotificationStatus.Failed);
                return told ? null : "the firing was never notified";
            case "escalated":
                return alert.Silenced ? "silenced" : alert.State != AlertState.Firing ? $"already {AlertStates.Name(alert.State)}" : null;
            default:
                return null;
        }
    }
}
