using Ioc.Contract.Alerts;

namespace Ioc.Alerting.Notifications;

/// <summary>Delivers one notification over one channel; throws <see cref="DeliveryException"/> (or an I/O error) on failure.</summary>
public interface INotificationSender
{
    string Channel { get; }

    /// <summary>Sends and returns a short description of the outcome (e.g. <c>HTTP 200</c>).</summary>
    Task<string> SendAsync(NotificationRecord notification, Alert alert, CancellationToken cancellationToken);
}

/// <summary>
/// A failed delivery. <see cref="Permanent"/> failures (a bot blocked by the user, a chat that does not exist, a refused
/// token) are recorded as failed at once instead of retried; <see cref="RetryAfter"/> is the wait the receiver asked for
/// (Telegram's <c>retry_after</c>, HTTP <c>Retry-After</c>) and replaces the backoff for the next attempt.
/// </summary>
public sealed class DeliveryException(string message, Exception? inner = null) : Exception(message, inner)
{
    public bool Permanent { get; init; }

    public TimeSpan? RetryAfter { get; init; }
}
