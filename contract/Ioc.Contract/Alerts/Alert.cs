namespace Ioc.Contract.Alerts;

/// <summary>One alert (an incident) as stored: what fired, about whom, and every step of its lifecycle.</summary>
public sealed record Alert
{
    public required long Id { get; init; }

    public required string RuleId { get; init; }

    public required string RuleName { get; init; }

    public required string Kind { get; init; }

    /// <summary>Stable key of what the alert is about (<c>device:site/type/id</c>, <c>district:name</c>, …); one open alert per rule and subject.</summary>
    public required string SubjectKey { get; init; }

    /// <summary>Readable subject for people.</summary>
    public required string Subject { get; init; }

    public required AlertSeverity Severity { get; init; }

    public required AlertState State { get; init; }

    public string? Site { get; init; }

    public string? District { get; init; }

    public string? DeviceType { get; init; }

    public string? DeviceId { get; init; }

    /// <summary>The summary in Vietnamese (the operators' language); both languages are in <see cref="Texts"/>.</summary>
    public required string Summary { get; init; }

    /// <summary>Summary and rule name in Vietnamese and English, as rendered by the engine; null on alerts stored before them.</summary>
    public AlertTexts? Texts { get; init; }

    public double? Value { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public required DateTimeOffset FiredAt { get; init; }

    public required DateTimeOffset LastFiredAt { get; init; }

    /// <summary>How many times the condition fired again while this alert was open.</summary>
    public int RepeatCount { get; init; }

    /// <summary>False while a flapping alert is held open although its condition has cleared.</summary>
    public bool ConditionActive { get; init; } = true;

    public bool Flapping { get; init; }

    public bool Silenced { get; init; }

    public long? ParentId { get; init; }

    public string? Assignee { get; init; }

    public DateTimeOffset? AssignedAt { get; init; }

    public string? AssignedBy { get; init; }

    public DateTimeOffset? AcknowledgedAt { get; init; }

    public string? AcknowledgedBy { get; init; }

    public DateTimeOffset? ResolvedAt { get; init; }

    public string? ResolvedBy { get; init; }

    public int EscalationLevel { get; init; }

    public DateTimeOffset? EscalatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public bool IsOpen => State != AlertState.Resolved;
}
