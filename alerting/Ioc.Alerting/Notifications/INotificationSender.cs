using Ioc.Contract.Alerts;

namespace Ioc.Alerting.Notifications;

/// <summary>Delivers one notification over one channel; throws <see cref="DeliveryException"/> (or an I/O error) on failure.</summary>
public interface INotificationSender
{
    string Channel { get; }

    /// <summary>Sends and returns a short description of the outcome (e.g. <c>HTTP 200</c>).</summary>
    Task<string> SendAsync(NotificationRecord notification, Alert alert, CancellationToken cancellationToken);
}

public sealed class DeliveryException(string message, Exception? inner = null) : Exception(message, inner);
