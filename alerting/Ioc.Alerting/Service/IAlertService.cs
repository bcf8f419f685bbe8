using Ioc.Contract.Alerts;

namespace Ioc.Alerting.Service;

/// <summary>
/// Reads and commands together, for code that runs in the engine's process (tests, scenario hosts, the all-in-one host).
/// A dashboard depends on <see cref="IAlertQueries"/> and <see cref="IAlertCommands"/> separately.
/// </summary>
public interface IAlertService : IAlertQueries, IAlertCommands;

public sealed record NotificationDetails(NotificationRecord Notification, IReadOnlyList<DeliveryAttempt> Attempts);

public sealed record AlertDetails(
    Alert Alert,
    IReadOnlyList<Alert> Children,
    IReadOnlyList<AlertAuditEntry> Audit,
    IReadOnlyList<AlertComment> Comments,
    IReadOnlyList<NotificationDetails> Notifications);

/// <summary>The alert or silence does not exist.</summary>
public sealed class AlertNotFoundException(string message) : KeyNotFoundException(message);

/// <summary>
/// The command does not fit the alert's state (e.g. acknowledging a resolved alert: <see cref="IsInvalidInput"/> false),
/// or its input is invalid (an empty comment, a silence without criteria: <see cref="IsInvalidInput"/> true).
/// The message is a sentence to show.
/// </summary>
public sealed class AlertCommandException(string message, bool isInvalidInput = false) : InvalidOperationException(message)
{
    public bool IsInvalidInput { get; } = isInvalidInput;
}

/// <summary>The engine could not be reached, refused the service token, or failed; the command may or may not have been applied.</summary>
public sealed class AlertEngineUnavailableException(string message, Exception? innerException = null) : Exception(message, innerException);
