using Ioc.Contract.Alerts;
using Ioc.Alerting.Rules;

namespace Ioc.Alerting.Service;

/// <summary>
/// What the dashboard (and any API) reads and does with alerts. Plain C# over the operational SQLite store, safe to use
/// from another process than the engine's; every command records who and when in the audit trail and is announced.
/// </summary>
public interface IAlertService
{
    /// <summary>Open alerts (firing or acknowledged), most severe and newest first.</summary>
    Task<IReadOnlyList<Alert>> ListOpenAsync(AlertFilter? filter, CancellationToken cancellationToken);

    /// <summary>Alerts in any state (history), most severe and newest first.</summary>
    Task<IReadOnlyList<Alert>> ListAsync(AlertFilter filter, CancellationToken cancellationToken);

    /// <summary>One alert with its children, audit trail, comments and notifications; null if there is none.</summary>
    Task<AlertDetails?> GetAsync(long id, CancellationToken cancellationToken);

    Task<Alert> AcknowledgeAsync(long id, string user, string? note, CancellationToken cancellationToken);

    /// <summary>Returns an acknowledged alert to firing (it may escalate again).</summary>
    Task<Alert> UnacknowledgeAsync(long id, string user, CancellationToken cancellationToken);

    /// <summary>Assigns an open alert to a person (null or empty clears the assignment).</summary>
    Task<Alert> AssignAsync(long id, string? assignee, string user, CancellationToken cancellationToken);

    Task<AlertComment> CommentAsync(long id, string user, string text, CancellationToken cancellationToken);

    /// <summary>Resolves by hand. The rule's evaluator stays firing until its condition clears, so the alert is not raised again meanwhile.</summary>
    Task<Alert> ResolveAsync(long id, string user, string? note, CancellationToken cancellationToken);

    Task<Silence> CreateSilenceAsync(SilenceRequest request, string user, CancellationToken cancellationToken);

    /// <summary>Silences in force or scheduled; with <paramref name="includeExpired"/>, the most recent 1,000 of all.</summary>
    Task<IReadOnlyList<Silence>> ListSilencesAsync(bool includeExpired, CancellationToken cancellationToken);

    Task<Silence> EndSilenceAsync(long id, string user, CancellationToken cancellationToken);

    /// <summary>Every device the engine has heard from, with its health (online / offline / silent) and district, as last persisted (up to 30 s behind; live changes come on the health topic).</summary>
    Task<IReadOnlyList<DeviceHealth>> ListDeviceHealthAsync(CancellationToken cancellationToken);

    /// <summary>The rules in force (as loaded from the rules file), for the dashboard's rule list and silence forms.</summary>
    IReadOnlyList<AlertRule> Rules { get; }

    /// <summary>MTTA and MTTR per severity and per site for alerts fired in [from, to).</summary>
    Task<AlertStatistics> GetStatisticsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}

public sealed record NotificationDetails(NotificationRecord Notification, IReadOnlyList<DeliveryAttempt> Attempts);

public sealed record AlertDetails(
    Alert Alert,
    IReadOnlyList<Alert> Children,
    IReadOnlyList<AlertAuditEntry> Audit,
    IReadOnlyList<AlertComment> Comments,
    IReadOnlyList<NotificationDetails> Notifications);

/// <summary>The alert or silence does not exist.</summary>
public sealed class AlertNotFoundException(string message) : KeyNotFoundException(message);

/// <summary>The command does not fit the alert's state (e.g. acknowledging a resolved alert), or its input is invalid.</summary>
public sealed class AlertCommandException(string message) : InvalidOperationException(message);
