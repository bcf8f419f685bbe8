using Ioc.Contract.Alerts;
using Ioc.Contract.Text;

namespace Ioc.Alerting.Rules;

/// <summary>A validated rule, ready to evaluate. Only the members of its <see cref="Kind"/> are set.</summary>
public sealed record AlertRule
{
    public required string Id { get; init; }

    /// <summary>The rule's name in Vietnamese and English (a single string in the file serves both).</summary>
    public required LocalizedText Name { get; init; }

    public required RuleKind Kind { get; init; }

    public required AlertSeverity Severity { get; init; }

    public required RuleScope Scope { get; init; }

    public string? Description { get; init; }

    /// <summary>Summary template in both languages, e.g. <c>"{subject}: nhiệt độ {value} {unit}"</c>; placeholders are listed in docs/alerting.md.</summary>
    public LocalizedText? Summary { get; init; }

    public bool Enabled { get; init; } = true;

    /// <summary>Measurement the metric is read from (default: any point carrying the metric).</summary>
    public string? Measurement { get; init; }

    public string? Metric { get; init; }

    public Comparison? Comparison { get; init; }

    /// <summary>How long the condition must hold before the alert fires.</summary>
    public TimeSpan For { get; init; }

    // offline
    public bool OnStatusOffline { get; init; } = true;

    public TimeSpan? ExpectedInterval { get; init; }

    public int MissedIntervals { get; init; } = 3;

    // rate
    public RateMode RateMode { get; init; }

    public TimeSpan Window { get; init; }

    // event_count
    public string? EventType { get; init; }

    public IReadOnlyDictionary<string, string> EventWhere { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<string> GroupBy { get; init; } = [];

    public int Count { get; init; }

    public int ClearBelow { get; init; } = 1;

    // state
    public IReadOnlyList<string> StateValues { get; init; } = [];

    // composite
    public string? ChildRuleId { get; init; }

    public GroupLevel GroupLevel { get; init; } = GroupLevel.District;

    public double Ratio { get; init; }

    public double ClearRatio { get; init; }

    public int MinDevices { get; init; } = 1;
}

public enum RateMode
{
    /// <summary>Counter increase over the window (resets handled: a drop counts as a restart from zero).</summary>
    Increase,

    /// <summary>Change per second between the oldest and newest sample in the window (gauges).</summary>
    PerSecond,
}

public enum GroupLevel
{
    District,
    Site,
}
