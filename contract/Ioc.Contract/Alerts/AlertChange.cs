namespace Ioc.Contract.Alerts;

/// <summary>What just happened to an alert (the <c>change</c> field of announcements).</summary>
public enum AlertChangeKind
{
    Fired,
    Repeated,
    Acknowledged,
    Unacknowledged,
    Assigned,
    Commented,
    Resolved,
    Escalated,
    FlappingStarted,
    FlappingEnded,
    Silenced,
    Unsilenced,
    Grouped,
    Ungrouped,
}

public sealed record AlertChange(AlertChangeKind Kind, Alert Alert, string Actor, DateTimeOffset At);

public enum HealthState
{
    Online,
    Offline,
    Silent,
}

/// <summary>A device's health as the engine sees it, announced under <c>ioc/v1/_system/health/…</c>.</summary>
public sealed record DeviceHealth(string Site, string DeviceType, string DeviceId, string? District, HealthState State, DateTimeOffset? LastSeen, DateTimeOffset Since);
