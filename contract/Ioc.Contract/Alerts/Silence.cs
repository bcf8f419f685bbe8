namespace Ioc.Contract.Alerts;

public enum SilenceKind
{
    /// <summary>Ad-hoc muting by an operator.</summary>
    Silence,

    /// <summary>Planned work, usually created ahead of time.</summary>
    Maintenance,
}

/// <summary>Where a silence stands at a given instant.</summary>
public enum SilenceStatus
{
    /// <summary>In force now: matching alerts are silenced.</summary>
    Active,

    /// <summary>Not in force now but will be: it starts later, or it recurs and its next window opens later.</summary>
    Scheduled,

    /// <summary>Over: its end has passed or someone ended it.</summary>
    Expired,
}

/// <summary>
/// A silence or maintenance window: alerts it matches still fire and are stored, marked silenced, but no notification
/// goes out and they do not escalate. Every non-null criterion must match. It is in force from <see cref="StartsAt"/> to
/// <see cref="EffectiveEnd"/>; with a <see cref="Recurrence"/>, only while one of its windows is open within that span.
/// </summary>
public sealed record Silence
{
    public long Id { get; init; }

    public SilenceKind Kind { get; init; }

    public string? RuleId { get; init; }

    public string? Site { get; init; }

    public string? District { get; init; }

    public string? DeviceType { get; init; }

    public string? DeviceId { get; init; }

    public required DateTimeOffset StartsAt { get; init; }

    public required DateTimeOffset EndsAt { get; init; }

    public required string Reason { get; init; }

    public required string CreatedBy { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public string? EndedBy { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Null for one window from start to end; else the windows that open again and again between them.</summary>
    public SilenceRecurrence? Recurrence { get; init; }

    public bool IsActiveAt(DateTimeOffset now) =>
        StartsAt <= now && now < EffectiveEnd && (Recurrence is null || Recurrence.IsOpenAt(now));

    public SilenceStatus StatusAt(DateTimeOffset now) =>
        now >= EffectiveEnd ? SilenceStatus.Expired
        : IsActiveAt(now) ? SilenceStatus.Active
        : NextStart(now) is not null ? SilenceStatus.Scheduled
        : SilenceStatus.Expired;

    /// <summary>When it next comes into force after <paramref name="now"/> (null when active now or never again).</summary>
    public DateTimeOffset? NextStart(DateTimeOffset now)
    {
        if (now >= EffectiveEnd || IsActiveAt(now))
        {
            return null;
        }

        var from = now < StartsAt ? StartsAt : now;
        if (Recurrence is null)
        {
            return from;
        }

        // The first window at or after the start; a window already open when the span starts counts from the start.
        if (Recurrence.IsOpenAt(from))
        {
            return from;
        }

        return Recurrence.NextOpening(from) is { } next && next < EffectiveEnd ? next : null;
    }

    public DateTimeOffset EffectiveEnd => EndedAt is { } ended && ended < EndsAt ? ended : EndsAt;

    public bool HasCriteria => RuleId is not null || Site is not null || District is not null || DeviceType is not null || DeviceId is not null;

    public bool Matches(Alert alert) =>
        (RuleId is null || RuleId == alert.RuleId)
        && (Site is null || Site == alert.Site)
        && (District is null || District == alert.District)
        && (DeviceType is null || DeviceType == alert.DeviceType)
        && (DeviceId is null || DeviceId == alert.DeviceId);
}

/// <summary>What an operator asks for when creating a silence.</summary>
public sealed record SilenceRequest
{
    public SilenceKind Kind { get; init; }

    public string? RuleId { get; init; }

    public string? Site { get; init; }

    public string? District { get; init; }

    public string? DeviceType { get; init; }

    public string? DeviceId { get; init; }

    public required DateTimeOffset StartsAt { get; init; }

    public required DateTimeOffset EndsAt { get; init; }

    public required string Reason { get; init; }

    /// <summary>Null for one window from start to end; else windows that recur between them.</summary>
    public SilenceRecurrence? Recurrence { get; init; }
}
