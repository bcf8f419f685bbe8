namespace Ioc.Contract.Alerts;

/// <summary>One line of an alert's audit trail: who did what, when.</summary>
public sealed record AlertAuditEntry(long Id, long AlertId, DateTimeOffset At, string Actor, string Action, string? Detail);

public sealed record AlertComment(long Id, long AlertId, DateTimeOffset At, string Author, string Text);

/// <summary>What the alert list shows; every criterion is optional.</summary>
public sealed record AlertFilter
{
    public AlertSeverity? MinSeverity { get; init; }

    public string? Site { get; init; }

    public string? District { get; init; }

    public string? DeviceType { get; init; }

    public string? DeviceId { get; init; }

    public string? RuleId { get; init; }

    public string? Assignee { get; init; }

    public AlertState? State { get; init; }

    /// <summary>Only alerts fired at or after this instant (reports: one month's incidents).</summary>
    public DateTimeOffset? FiredFrom { get; init; }

    /// <summary>Only alerts fired before this instant.</summary>
    public DateTimeOffset? FiredBefore { get; init; }

    /// <summary>Only alerts without a parent (the grouped view).</summary>
    public bool TopLevelOnly { get; init; }

    public int Limit { get; init; } = 500;
}

/// <summary>Mean time to acknowledge / resolve for one group of alerts.</summary>
public sealed record ResponseTimes(string Group, int Alerts, int Acknowledged, int Resolved, TimeSpan? Mtta, TimeSpan? Mttr);

public sealed record AlertStatistics(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<ResponseTimes> BySeverity, IReadOnlyList<ResponseTimes> BySite, ResponseTimes Overall);

public enum NotificationStatus
{
    Pending,
    Delivered,
    Failed,
    Suppressed,
}

/// <summary>One notification to send (or sent) to one channel, with its attempts.</summary>
public sealed record NotificationRecord(
    long Id,
    long AlertId,
    string Event,
    string Channel,
    string Target,
    NotificationStatus Status,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset NextAttemptAt,
    string? LastError);

public sealed record DeliveryAttempt(long Id, long NotificationId, int Attempt, DateTimeOffset At, bool Success, TimeSpan Duration, string Detail);
