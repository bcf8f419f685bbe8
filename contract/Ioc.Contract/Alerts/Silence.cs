namespace Ioc.Contract.Alerts;

public enum SilenceKind
{
    /// <summary>Ad-hoc muting by an operator.</summary>
    Silence,

    /// <summary>Planned work, usually created ahead of time.</summary>
    Maintenance,
}

/// <summary>
/// A silence or maintenance window: alerts it matches still fire and are stored, marked silenced, but no notification
/// goes out and they do not escalate. Every non-null criterion must match.
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

    public bool IsActiveAt(DateTimeOffset now) => StartsAt <= now && now < EffectiveEnd;

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
}
