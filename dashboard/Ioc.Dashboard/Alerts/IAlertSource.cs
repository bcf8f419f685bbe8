using Ioc.Contract.Model;

namespace Ioc.Dashboard.Alerts;

/// <summary>
/// What the alert pages need from the alert engine. The engine (alerting/Ioc.Alerting, <c>IAlertService</c>) is bound to
/// this by a thin adapter in the host; every mutating call has already been authorized and audited by the page.
/// Changes are announced on MQTT <c>ioc/v1/_system/alerts/...</c>; pages re-read on <see cref="Live.AlertAnnouncements"/>.
/// </summary>
public interface IAlertSource
{
    /// <summary>Alerts matching the filter, newest first, at most <see cref="AlertFilter.Limit"/>.</summary>
    Task<IReadOnlyList<AlertView>> ListAsync(AlertFilter filter, CancellationToken cancellationToken);

    Task<AlertView?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>The lifecycle of one alert (fired, repeated, acknowledged, assigned, commented, resolved), oldest first.</summary>
    Task<IReadOnlyList<AlertHistoryEntry>> HistoryAsync(long id, CancellationToken cancellationToken);

    /// <summary>Open alerts by severity, and MTTA/MTTR over alerts fired since <paramref name="since"/>.</summary>
    Task<AlertStatistics> StatisticsAsync(DateTimeOffset since, CancellationToken cancellationToken);

    Task AcknowledgeAsync(long id, string user, CancellationToken cancellationToken);

    Task AssignAsync(long id, string assignee, string user, CancellationToken cancellationToken);

    Task CommentAsync(long id, string text, string user, CancellationToken cancellationToken);

    Task ResolveAsync(long id, string user, string? note, CancellationToken cancellationToken);

    Task<IReadOnlyList<SilenceView>> ListSilencesAsync(bool includeEnded, CancellationToken cancellationToken);

    Task<SilenceView> CreateSilenceAsync(SilenceRequest request, string user, CancellationToken cancellationToken);

    Task EndSilenceAsync(long id, string user, CancellationToken cancellationToken);
}

public enum AlertState
{
    Open,
    Acknowledged,
    Resolved,
}

/// <summary>One alert as the console shows it.</summary>
public sealed record AlertView(
    long Id,
    EventSeverity Severity,
    AlertState State,
    string Rule,
    string Type,
    string Subject,
    string Site,
    string? DeviceId,
    DateTimeOffset FiredAt,
    DateTimeOffset LastSeenAt,
    int RepeatCount,
    string? Assignee,
    DateTimeOffset? AcknowledgedAt,
    DateTimeOffset? ResolvedAt)
{
    /// <summary>The district-level alert this one is grouped under, if any.</summary>
    public long? ParentId { get; init; }

    /// <summary>The metric the rule watched (e.g. <c>ups.battery_pct</c>) for the chart around the firing time.</summary>
    public string? Metric { get; init; }

    public string? DeviceType { get; init; }

    public double? Threshold { get; init; }

    /// <summary>What happened, in the rule's words (e.g. "DC-B02-ENV: inlet 31.2 °C over 30 °C for 2 min").</summary>
    public string? Summary { get; init; }
}

public sealed record AlertFilter
{
    public IReadOnlyCollection<EventSeverity> Severities { get; init; } = [];

    public IReadOnlyCollection<AlertState> States { get; init; } = [AlertState.Open, AlertState.Acknowledged];

    public string? Site { get; init; }

    /// <summary>Sites of the chosen district (the console expands a district to its sites).</summary>
    public IReadOnlyCollection<string> Sites { get; init; } = [];

    public string? Type { get; init; }

    public string? Search { get; init; }

    public int Limit { get; init; } = 2000;
}

public sealed record AlertHistoryEntry(DateTimeOffset At, string Kind, string? User, string Text);

public sealed record AlertStatistics(IReadOnlyDictionary<EventSeverity, int> OpenBySeverity, TimeSpan? MeanTimeToAcknowledge, TimeSpan? MeanTimeToResolve);

public sealed record SilenceView(long Id, string Matcher, string Reason, string CreatedBy, DateTimeOffset StartsAt, DateTimeOffset EndsAt, DateTimeOffset? EndedAt)
{
    public bool IsActive(DateTimeOffset now) => EndedAt is null && StartsAt <= now && now < EndsAt;
}

/// <summary>A silence or maintenance window: alerts whose site/device/rule match are not notified while it lasts.</summary>
public sealed record SilenceRequest(string? Site, string? DeviceId, string? Rule, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string Reason)
{
    public IEnumerable<string> Validate()
    {
        if (Site is null && DeviceId is null && Rule is null)
        {
            yield return "A silence needs a site, a device or a rule to match.";
        }

        if (EndsAt <= StartsAt)
        {
            yield return "A silence must end after it starts.";
        }

        if (string.IsNullOrWhiteSpace(Reason))
        {
            yield return "A silence needs a reason.";
        }
    }
}
