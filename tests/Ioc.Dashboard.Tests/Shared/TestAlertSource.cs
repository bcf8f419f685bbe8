using Ioc.Contract.Model;
using Ioc.Dashboard.Alerts;

namespace Ioc.Dashboard.Tests.Shared;

/// <summary>An in-memory <see cref="IAlertSource"/> for tests, standing in for the alert engine the host will bind.</summary>
public sealed class TestAlertSource(TimeProvider time) : IAlertSource
{
    private readonly Lock _gate = new();
    private readonly List<AlertView> _alerts = [];
    private readonly Dictionary<long, List<AlertHistoryEntry>> _history = [];
    private readonly List<SilenceView> _silences = [];
    private long _nextId = 1;

    public List<string> Calls { get; } = [];

    public AlertView Add(EventSeverity severity, string subject, string site, string rule = "device_offline", string type = "status", string? deviceId = null, long? parentId = null, string? summary = null)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            var alert = new AlertView(_nextId++, severity, AlertState.Open, rule, type, subject, site, deviceId, now, now, 1, null, null, null) { ParentId = parentId, Summary = summary };
            _alerts.Add(alert);
            _history[alert.Id] = [new AlertHistoryEntry(now, "fired", null, subject)];
            return alert;
        }
    }

    public Task<IReadOnlyList<AlertView>> ListAsync(AlertFilter filter, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<AlertView> result = [.. _alerts
                .Where(a => filter.States.Count == 0 || filter.States.Contains(a.State))
                .Where(a => filter.Severities.Count == 0 || filter.Severities.Contains(a.Severity))
                .Where(a => filter.Site is null || a.Site == filter.Site)
                .Where(a => filter.Type is null || a.Type == filter.Type)
                .Where(a => filter.Search is null || a.Subject.Contains(filter.Search, StringComparison.OrdinalIgnoreCase) || (a.DeviceId?.Contains(filter.Search, StringComparison.OrdinalIgnoreCase) ?? false))
                .OrderByDescending(a => a.FiredAt).ThenByDescending(a => a.Id)
                .Take(filter.Limit)];
            return Task.FromResult(result);
        }
    }

    public Task<AlertView?> GetAsync(long id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_alerts.FirstOrDefault(a => a.Id == id));
        }
    }

    public Task<IReadOnlyList<AlertHistoryEntry>> HistoryAsync(long id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<AlertHistoryEntry>>([.. _history.GetValueOrDefault(id) ?? []]);
        }
    }

    public Task<AlertStatistics> StatisticsAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var open = _alerts.Where(a => a.State != AlertState.Resolved).GroupBy(a => a.Severity).ToDictionary(g => g.Key, g => g.Count());
            var acked = _alerts.Where(a => a.FiredAt >= since && a.AcknowledgedAt is not null).Select(a => a.AcknowledgedAt!.Value - a.FiredAt).ToList();
            var resolved = _alerts.Where(a => a.FiredAt >= since && a.ResolvedAt is not null).Select(a => a.ResolvedAt!.Value - a.FiredAt).ToList();
            return Task.FromResult(new AlertStatistics(
                open,
                acked.Count == 0 ? null : TimeSpan.FromTicks((long)acked.Average(t => t.Ticks)),
                resolved.Count == 0 ? null : TimeSpan.FromTicks((long)resolved.Average(t => t.Ticks))));
        }
    }

    public Task AcknowledgeAsync(long id, string user, CancellationToken cancellationToken) =>
        Update(id, "acknowledged", user, string.Empty, a => a with { State = AlertState.Acknowledged, AcknowledgedAt = time.GetUtcNow() });

    public Task AssignAsync(long id, string assignee, string user, CancellationToken cancellationToken) =>
        Update(id, "assigned", user, assignee, a => a with { Assignee = assignee });

    public Task CommentAsync(long id, string text, string user, CancellationToken cancellationToken) =>
        Update(id, "comment", user, text, a => a);

    public Task ResolveAsync(long id, string user, string? note, CancellationToken cancellationToken) =>
        Update(id, "resolved", user, note ?? string.Empty, a => a with { State = AlertState.Resolved, ResolvedAt = time.GetUtcNow() });

    public Task<IReadOnlyList<SilenceView>> ListSilencesAsync(bool includeEnded, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            return Task.FromResult<IReadOnlyList<SilenceView>>([.. _silences.Where(s => includeEnded || s.IsActive(now))]);
        }
    }

    public Task<SilenceView> CreateSilenceAsync(SilenceRequest request, string user, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Calls.Add($"silence:{user}");
            var matcher = string.Join(' ', new[] { request.Site, request.DeviceId, request.Rule }.Where(s => s is not null));
            var silence = new SilenceView(_nextId++, matcher, request.Reason, user, request.StartsAt, request.EndsAt, null);
            _silences.Add(silence);
            return Task.FromResult(silence);
        }
    }

    public Task EndSilenceAsync(long id, string user, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Calls.Add($"end-silence:{id}:{user}");
            var index = _silences.FindIndex(s => s.Id == id);
            _silences[index] = _silences[index] with { EndedAt = time.GetUtcNow() };
            return Task.CompletedTask;
        }
    }

    private Task Update(long id, string kind, string user, string text, Func<AlertView, AlertView> change)
    {
        lock (_gate)
        {
            Calls.Add($"{kind}:{id}:{user}");
            var index = _alerts.FindIndex(a => a.Id == id);
            _alerts[index] = change(_alerts[index]);
            _history[id].Add(new AlertHistoryEntry(time.GetUtcNow(), kind, user, text));
            return Task.CompletedTask;
        }
    }
}
