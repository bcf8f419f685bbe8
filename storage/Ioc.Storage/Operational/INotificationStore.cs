using Ioc.Contract.Alerts;

namespace Ioc.Storage.Operational;

/// <summary>The notification outbox and its delivery attempts: every attempt is recorded, success or not.</summary>
public interface INotificationStore
{
    Task<NotificationRecord> EnqueueAsync(long alertId, string @event, string channel, string target, NotificationStatus status, DateTimeOffset now, DateTimeOffset notBefore, string? note, CancellationToken cancellationToken);

    Task<IReadOnlyList<NotificationRecord>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<NotificationRecord>> ForAlertAsync(long alertId, CancellationToken cancellationToken);

    /// <summary>Records one attempt and the notification's new state in one transaction.</summary>
    Task RecordAttemptAsync(NotificationRecord notification, DeliveryAttempt attempt, NotificationStatus status, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken);

    /// <summary>Marks a notification suppressed (silenced, grouped, resolved before sending) with the reason.</summary>
    Task SuppressAsync(NotificationRecord notification, string reason, CancellationToken cancellationToken);

    Task<IReadOnlyList<DeliveryAttempt>> AttemptsAsync(long notificationId, CancellationToken cancellationToken);
}

/// <summary>The devices the engine has heard from, with their health: what no-data and composite rules count after a restart.</summary>
public interface IDeviceStore
{
    Task UpsertAsync(IReadOnlyCollection<DeviceHealth> devices, CancellationToken cancellationToken);

    Task<IReadOnlyList<DeviceHealth>> LoadAsync(CancellationToken cancellationToken);
}
