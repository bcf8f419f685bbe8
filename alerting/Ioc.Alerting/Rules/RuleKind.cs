namespace Ioc.Alerting.Rules;

public enum RuleKind
{
    /// <summary>A numeric metric crosses a threshold for a while; clears at a separate threshold (hysteresis).</summary>
    Threshold,

    /// <summary>A device reports <c>offline</c> (its last will), or sends nothing for N expected intervals.</summary>
    Offline,

    /// <summary>The increase of a counter, or the per-second rate of change of a gauge, over a window.</summary>
    Rate,

    /// <summary>At least N events of a type within a sliding window, per group (for example per source IP).</summary>
    EventCount,

    /// <summary>A metric equals one of the given values (UPS on battery).</summary>
    State,

    /// <summary>Most devices of a district or site have an open alert of another rule: one alert for the group.</summary>
    Composite,
}

public static class RuleKinds
{
    public static bool TryParse(string? text, out RuleKind kind)
    {
        switch (text)
        {
            case "threshold": kind = RuleKind.Threshold; return true;
            case "offline": kind = RuleKind.Offline; return true;
            case "rate": kind = RuleKind.Rate; return true;
            case "event_count": kind = RuleKind.EventCount; return true;
            case "state": kind = RuleKind.State; return true;
            case "composite": kind = RuleKind.Composite; return true;
            default: kind = RuleKind.Threshold; return false;
        }
    }

    public static string Name(RuleKind kind) => kind switch
    {
        RuleKind.Threshold => "threshold",
        RuleKind.Offline => "offline",
        RuleKind.Rate => "rate",
        RuleKind.EventCount => "event_count",
        RuleKind.State => "state",
        RuleKind.Composite => "composite",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
