using Ioc.Alerting.Service;
using Ioc.Contract.Model;
using Engine = Ioc.Contract.Alerts;

namespace Ioc.Dashboard.Alerts;

/// <summary>Binds the alert pages to the alert engine's <see cref="IAlertService"/> over the shared SQLite store.</summary>
public sealed class AlertServiceSource(IAlertService alerts, TimeProvider time) : IAlertSource
{
    public async Task<IReadOnlyList<AlertView>> ListAsync(AlertFilter filter, CancellationToken cancellationToken)
    {
        var states = filter.States.Count == 0 ? [AlertState.Open, AlertState.Acknowledged, AlertState.Resolved] : filter.States;
        var query = new Engine.AlertFilter
        {
            MinSeverity = filter.Severities.Count == 0 ? null : (Engine.AlertSeverity)filter.Severities.Min(),
            Site = filter.Site,
            State = states.Count == 1 ? ToEngine(states.First()) : null,
            Limit = Math.Clamp(filter.Limit, 1, 10_000),
        };
        var onlyOpen = !states.Contains(AlertState.Resolved);
        var found = onlyOpen ? await alerts.ListOpenAsync(query, cancellationToken) : await alerts.ListAsync(query, cancellationToken);
        return found
            .Select(ToView)
            .Where(a => states.Contains(a.State))
            .Where(a => filter.Severities.Count == 0 || filter.Severities.Contains(a.Severity))
            .Where(a => filter.Sites.Count == 0 || filter.Sites.Contains(a.Site))
            .Where(a => filter.Type is null || string.Equals(a.Type, filter.Type, StringComparison.OrdinalIgnoreCase) || string.Equals(a.DeviceType, filter.Type, StringComparison.OrdinalIgnoreCase))
            .Where(a => string.IsNullOrWhiteSpace(filter.Search) || Matches(a, filter.Search))
            .OrderByDescending(a => a.FiredAt)
            .Take(filter.Limit)
            .ToList();
    }

    public async Task<AlertView?> GetAsync(long id, CancellationToken cancellationToken)
    {
        var details = await alerts.GetAsync(id, cancellationToken);
        return details is null ? null : ToView(details.Alert);
    }

    public async Task<IReadOnlyList<AlertHistoryEntry>> HistoryAsync(long id, CancellationToken cancellationToken)
    {
        var details = await alerts.GetAsync(id, cancellationToken);
        if (details is null)
        {
            return [];
        }

        return details.Audit.Select(a => new AlertHistoryEntry(a.At, a.Action, a.Actor, a.Detail ?? string.Empty))
            .Concat(details.Comments.Select(c => new AlertHistoryEntry(c.At, "commented", c.Author, c.Text)))
            .OrderBy(e => e.At)
            .ToList();
    }

    public async Task<AlertStatistics> StatisticsAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var open = await alerts.ListOpenAsync(new Engine.AlertFilter { Limit = 10_000 }, cancellationToken);
        var statistics = await alerts.GetStatisticsAsync(since, time.GetUtcNow(), cancellationToken);
        var bySeverity = Enum.GetValues<EventSeverity>().ToDictionary(s => s, s => open.Count(a => (EventSeverity)a.Severity == s));
        return new AlertStatistics(bySeverity, statistics.Overall.Mtta, statistics.Overall.Mttr);
    }

    public Task AcknowledgeAsync(long id, string user, CancellationToken cancellationToken) =>
        alerts.AcknowledgeAsync(id, user, null, cancellationToken);

    public Task AssignAsync(long id, string assignee, string user, CancellationToken cancellationToken) =>
        alerts.AssignAsync(id, assignee, user, cancellationToken);

    public Task CommentAsync(long id, string text, string user, CancellationToken cancellationToken) =>
        alerts.CommentAsync(id, user, text, cancellationToken);

    public Task ResolveAsync(long id, string user, string? note, CancellationToken cancellationToken) =>
        alerts.ResolveAsync(id, user, note, cancellationToken);

    public async Task<IReadOnlyList<SilenceView>> ListSilencesAsync(bool includeEnded, CancellationToken cancellationToken) =>
        (await alerts.ListSilencesAsync(includeEnded, cancellationToken)).Select(ToView).ToList();

    public async Task<SilenceView> CreateSilenceAsync(SilenceRequest request, string user, CancellationToken cancellationToken)
    {
        // A window that starts later is planned work; one that starts now is an operator muting noise.
        var kind = request.StartsAt > time.GetUtcNow().AddMinutes(1) ? Engine.SilenceKind.Maintenance : Engine.SilenceKind.Silence;
        var created = await alerts.CreateSilenceAsync(new Engine.SilenceRequest
        {
            Kind = kind,
            RuleId = request.Rule,
            Site = request.Site,
            DeviceId = request.DeviceId,
            StartsAt = request.StartsAt,
            EndsAt = request.EndsAt,
            Reason = request.Reason,
        }, user, cancellationToken);
        return ToView(created);
    }

    public Task EndSilenceAsync(long id, string user, CancellationToken cancellationToken) =>
        alerts.EndSilenceAsync(id, user, cancellationToken);

    private AlertView ToView(Engine.Alert alert)
    {
        var rule = alerts.Rules.FirstOrDefault(r => r.Id == alert.RuleId);
        return ToView(alert, rule?.Metric, rule?.Comparison?.Trigger);
    }

    private static AlertView ToView(Engine.Alert alert, string? metric, double? threshold) => new(
        alert.Id,
        (EventSeverity)alert.Severity,
        alert.State switch
        {
            Engine.AlertState.Firing => AlertState.Open,
            Engine.AlertState.Acknowledged => AlertState.Acknowledged,
            _ => AlertState.Resolved,
        },
        alert.RuleId,
        alert.Kind,
        alert.Subject,
        alert.Site ?? alert.District ?? string.Empty,
        alert.DeviceId,
        alert.FiredAt,
        alert.LastFiredAt,
        alert.RepeatCount,
        alert.Assignee,
        alert.AcknowledgedAt,
        alert.ResolvedAt)
    {
        ParentId = alert.ParentId,
        DeviceType = alert.DeviceType,
        Metric = metric,
        Threshold = threshold,
        Summary = alert.Summary,
    };

    private static SilenceView ToView(Engine.Silence silence)
    {
        var matcher = string.Join(", ", new[]
        {
            silence.RuleId is null ? null : $"rule={silence.RuleId}",
            silence.Site is null ? null : $"site={silence.Site}",
            silence.District is null ? null : $"district={silence.District}",
            silence.DeviceType is null ? null : $"type={silence.DeviceType}",
            silence.DeviceId is null ? null : $"device={silence.DeviceId}",
        }.Where(part => part is not null));
        return new SilenceView(silence.Id, matcher, silence.Reason, silence.CreatedBy, silence.StartsAt, silence.EndsAt, silence.EndedAt);
    }

    private static Engine.AlertState ToEngine(AlertState state) => state switch
    {
        AlertState.Open => Engine.AlertState.Firing,
        AlertState.Acknowledged => Engine.AlertState.Acknowledged,
        _ => Engine.AlertState.Resolved,
    };

    private static bool Matches(AlertView alert, string search) =>
        alert.Subject.Contains(search, StringComparison.OrdinalIgnoreCase)
        || alert.Rule.Contains(search, StringComparison.OrdinalIgnoreCase)
        || alert.Site.Contains(search, StringComparison.OrdinalIgnoreCase)
        || (alert.DeviceId?.Contains(search, StringComparison.OrdinalIgnoreCase) ?? false);
}
