using Ioc.Alerting.Announce;
using Ioc.Alerting.Rules;
using Ioc.Alerting.Service;
using Ioc.Contract.Alerts;

namespace Ioc.Dashboard.Tests.Shared;

/// <summary>
/// An in-memory alert engine for tests: reads (<see cref="IAlertQueries"/>), commands (<see cref="IAlertCommands"/>) and
/// its change feed (<see cref="IAlertChanges"/>), which announces every addition and command as the real engine does.
/// </summary>
public sealed class TestAlertEngine(TimeProvider time) : IAlertQueries, IAlertCommands, IAlertChanges
{
    private readonly Lock _gate = new();
    private readonly List<Alert> _alerts = [];
    private readonly Dictionary<long, List<AlertAuditEntry>> _audit = [];
    private readonly Dictionary<long, List<AlertComment>> _comments = [];
    private readonly List<Silence> _silences = [];
    private readonly Dictionary<long, List<NotificationDetails>> _notifications = [];
    private readonly AlertFeed _feed = new();
    private long _nextId = 1;
    private int _reads;

    public List<string> Calls { get; } = [];

    /// <summary>How many reads (lists and single alerts) were asked of the engine: a page must not read per line.</summary>
    public int Reads => Volatile.Read(ref _reads);

    public IReadOnlyList<AlertRule> Rules { get; set; } = [];

    /// <summary>An outbox record of the alert, as the dispatcher leaves it.</summary>
    public void AddNotification(long alertId, NotificationRecord notification, params DeliveryAttempt[] attempts)
    {
        lock (_gate)
        {
            if (!_notifications.TryGetValue(alertId, out var list))
            {
                _notifications[alertId] = list = [];
            }

            list.Add(new NotificationDetails(notification, attempts));
        }
    }

    public Alert Add(AlertSeverity severity, string subject, string? site, string rule = "device-offline", string kind = "offline", string? deviceId = null, long? parentId = null, string? summary = null, string? district = null, string? deviceType = null, double? value = null)
    {
        Alert alert;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            alert = new Alert
            {
                Id = _nextId++,
                RuleId = rule,
                RuleName = rule,
                Kind = kind,
                SubjectKey = site is null ? $"district={district}" : $"device={site}/{deviceType}/{deviceId}",
                Subject = subject,
                Severity = severity,
                State = AlertState.Firing,
                Site = site,
                District = district,
                DeviceType = deviceType,
                DeviceId = deviceId,
                Value = value,
                Summary = summary ?? subject,
                FiredAt = now,
                LastFiredAt = now,
                ParentId = parentId,
                UpdatedAt = now,
            };
            _alerts.Add(alert);
            _audit[alert.Id] = [new AlertAuditEntry(_nextId++, alert.Id, now, "engine", "fired", subject)];
            _comments[alert.Id] = [];
        }

        _feed.AlertChanged(new AlertChange(AlertChangeKind.Fired, alert, "engine", alert.FiredAt));
        return alert;
    }

    /// <summary>Stores an alert as given (its own times and states, e.g. last month's history); returns it with its id.</summary>
    public Alert Put(Alert alert)
    {
        lock (_gate)
        {
            alert = alert with { Id = _nextId++ };
            _alerts.Add(alert);
            _audit[alert.Id] = [];
            _comments[alert.Id] = [];
            return alert;
        }
    }

    /// <summary>Links alerts under a group alert, as the engine does when a district goes down after its devices.</summary>
    public void Link(long parentId, IEnumerable<long> childIds)
    {
        var linked = new List<Alert>();
        lock (_gate)
        {
            foreach (var id in childIds)
            {
                var index = _alerts.FindIndex(a => a.Id == id);
                _alerts[index] = _alerts[index] with { ParentId = parentId };
                linked.Add(_alerts[index]);
            }
        }

        foreach (var alert in linked)
        {
            _feed.AlertChanged(new AlertChange(AlertChangeKind.Grouped, alert, "engine", alert.UpdatedAt));
        }
    }

    public IDisposable Subscribe(Action<AlertChange>? onAlert, Action<DeviceHealth>? onHealth = null) => _feed.Subscribe(onAlert, onHealth);

    /// <summary>Announces a device's health as the engine would.</summary>
    public void ReportHealth(DeviceHealth health) => _feed.HealthChanged(health);

    public Task<IReadOnlyList<Alert>> ListOpenAsync(AlertFilter? filter, CancellationToken cancellationToken) => List(filter ?? new AlertFilter(), openOnly: true);

    public Task<IReadOnlyList<Alert>> ListAsync(AlertFilter filter, CancellationToken cancellationToken) => List(filter, openOnly: false);

    public Task<AlertDetails?> GetAsync(long id, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        lock (_gate)
        {
            var alert = _alerts.FirstOrDefault(a => a.Id == id);
            return Task.FromResult(alert is null
                ? null
                : new AlertDetails(alert, [.. _alerts.Where(a => a.ParentId == id)], [.. _audit[id]], [.. _comments[id]], [.. _notifications.GetValueOrDefault(id) ?? []]));
        }
    }

    public Task<IReadOnlyList<Silence>> ListSilencesAsync(bool includeExpired, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            return Task.FromResult<IReadOnlyList<Silence>>([.. _silences.Where(s => includeExpired || s.EffectiveEnd > now)]);
        }
    }

    public Task<IReadOnlyList<DeviceHealth>> ListDeviceHealthAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<DeviceHealth>>([]);

    public Task<AlertStatistics> GetStatisticsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var fired = _alerts.Where(a => a.FiredAt >= from && a.FiredAt < to).ToList();
            var acked = fired.Where(a => a.AcknowledgedAt is not null).Select(a => a.AcknowledgedAt!.Value - a.FiredAt).ToList();
            var resolved = fired.Where(a => a.ResolvedAt is not null).Select(a => a.ResolvedAt!.Value - a.FiredAt).ToList();
            var overall = new ResponseTimes("all", fired.Count, acked.Count, resolved.Count, Mean(acked), Mean(resolved));
            return Task.FromResult(new AlertStatistics(from, to, [], [], overall));
        }
    }

    /// <summary>As the engine does: a group alert takes the firing alerts under it along.</summary>
    public async Task<Alert> AcknowledgeAsync(long id, string user, string? note, CancellationToken cancellationToken)
    {
        var acknowledged = await Change(id, AlertChangeKind.Acknowledged, "acknowledged", user, note, a => a.State == AlertState.Firing
            ? a with { State = AlertState.Acknowledged, AcknowledgedAt = time.GetUtcNow(), AcknowledgedBy = user }
            : throw new AlertCommandException($"alert #{id} is {AlertStates.Name(a.State)}; only a firing alert can be acknowledged"));
        foreach (var child in ChildrenOf(id).Where(c => c.State == AlertState.Firing))
        {
            await Change(child.Id, AlertChangeKind.Acknowledged, "acknowledged", user, $"with its group alert #{id}", a => a with { State = AlertState.Acknowledged, AcknowledgedAt = time.GetUtcNow(), AcknowledgedBy = user }, record: false);
        }

        return acknowledged;
    }

    public Task<Alert> UnacknowledgeAsync(long id, string user, CancellationToken cancellationToken) =>
        Change(id, AlertChangeKind.Unacknowledged, "unacknowledged", user, null, a => a with { State = AlertState.Firing, AcknowledgedAt = null, AcknowledgedBy = null });

    public Task<Alert> AssignAsync(long id, string? assignee, string user, CancellationToken cancellationToken) =>
        Change(id, AlertChangeKind.Assigned, "assigned", user, assignee, a => a with { Assignee = assignee, AssignedBy = user, AssignedAt = time.GetUtcNow() });

    public Task<AlertComment> CommentAsync(long id, string user, string text, CancellationToken cancellationToken)
    {
        AlertComment comment;
        Alert alert;
        lock (_gate)
        {
            Calls.Add($"comment:{id}:{user}");
            alert = _alerts.FirstOrDefault(a => a.Id == id) ?? throw new AlertNotFoundException($"alert #{id} does not exist");
            comment = new AlertComment(_nextId++, id, time.GetUtcNow(), user, text);
            _comments[id].Add(comment);

            // As the stores do: the comment, and an audit line beside it.
            _audit[id].Add(new AlertAuditEntry(_nextId++, id, comment.At, user, "commented", text));
        }

        _feed.AlertChanged(new AlertChange(AlertChangeKind.Commented, alert, user, comment.At));
        return Task.FromResult(comment);
    }

    /// <summary>As the engine does: a group alert takes the open alerts under it along.</summary>
    public async Task<Alert> ResolveAsync(long id, string user, string? note, CancellationToken cancellationToken)
    {
        var resolved = await Change(id, AlertChangeKind.Resolved, "resolved", user, note, a => a.IsOpen
            ? a with { State = AlertState.Resolved, ResolvedAt = time.GetUtcNow(), ResolvedBy = user }
            : throw new AlertCommandException($"alert #{id} is already resolved"));
        foreach (var child in ChildrenOf(id).Where(c => c.IsOpen))
        {
            await Change(child.Id, AlertChangeKind.Resolved, "resolved", user, $"with its group alert #{id}", a => a with { State = AlertState.Resolved, ResolvedAt = time.GetUtcNow(), ResolvedBy = user }, record: false);
        }

        return resolved;
    }

    public Task<Silence> CreateSilenceAsync(SilenceRequest request, string user, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Calls.Add($"silence:{user}");
            // The real engine's check (without its device knowledge): what it refuses is refused here too.
            var problems = SilenceValidation.Validate(request, time.GetUtcNow(), SilenceLimits.Default, new SilenceCatalog { Rules = Rules.Select(r => r.Id).ToHashSet(StringComparer.Ordinal) });
            if (problems.Count > 0)
            {
                throw new AlertCommandException(string.Join("; ", problems.Select(p => p.Describe(SilenceLimits.Default))), isInvalidInput: true);
            }

            var silence = new Silence
            {
                Id = _nextId++,
                Kind = request.Kind,
                RuleId = request.RuleId,
                Site = request.Site,
                District = request.District,
                DeviceType = request.DeviceType,
                DeviceId = request.DeviceId,
                StartsAt = request.StartsAt,
                EndsAt = request.EndsAt,
                Recurrence = request.Recurrence,
                Reason = request.Reason,
                CreatedBy = user,
                CreatedAt = time.GetUtcNow(),
            };
            _silences.Add(silence);
            return Task.FromResult(silence);
        }
    }

    /// <summary>Every silence ever created here, ended or not.</summary>
    public IReadOnlyList<Silence> AllSilences()
    {
        lock (_gate)
        {
            return [.. _silences];
        }
    }

    public Task<Silence> EndSilenceAsync(long id, string user, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Calls.Add($"end-silence:{id}:{user}");
            var index = _silences.FindIndex(s => s.Id == id);
            if (index < 0)
            {
                throw new AlertNotFoundException($"silence #{id} does not exist");
            }

            _silences[index] = _silences[index] with { EndedAt = time.GetUtcNow(), EndedBy = user };
            return Task.FromResult(_silences[index]);
        }
    }

    private Task<IReadOnlyList<Alert>> List(AlertFilter filter, bool openOnly)
    {
        Interlocked.Increment(ref _reads);
        lock (_gate)
        {
            IReadOnlyList<Alert> result = [.. _alerts
                .Where(a => !openOnly || a.IsOpen)
                .Where(a => filter.State is null || a.State == filter.State)
                .Where(a => filter.MinSeverity is null || a.Severity >= filter.MinSeverity)
                .Where(a => filter.Site is null || a.Site == filter.Site)
                .Where(a => filter.DeviceId is null || a.DeviceId == filter.DeviceId)
                .Where(a => filter.FiredFrom is null || a.FiredAt >= filter.FiredFrom)
                .Where(a => filter.FiredBefore is null || a.FiredAt < filter.FiredBefore)
                .Where(a => !filter.TopLevelOnly || a.ParentId is null)
                .OrderByDescending(a => a.Severity).ThenByDescending(a => a.FiredAt)
                .Take(filter.Limit)];
            return Task.FromResult(result);
        }
    }

    private List<Alert> ChildrenOf(long id)
    {
        lock (_gate)
        {
            return [.. _alerts.Where(a => a.ParentId == id)];
        }
    }

    private Task<Alert> Change(long id, AlertChangeKind kind, string action, string user, string? detail, Func<Alert, Alert> change, bool record = true)
    {
        Alert updated;
        lock (_gate)
        {
            if (record)
            {
                Calls.Add($"{action}:{id}:{user}");
            }

            var index = _alerts.FindIndex(a => a.Id == id);
            if (index < 0)
            {
                throw new AlertNotFoundException($"alert #{id} does not exist");
            }

            updated = change(_alerts[index]) with { UpdatedAt = time.GetUtcNow() };
            _alerts[index] = updated;
            _audit[id].Add(new AlertAuditEntry(_nextId++, id, time.GetUtcNow(), user, action, detail));
        }

        _feed.AlertChanged(new AlertChange(kind, updated, user, updated.UpdatedAt));
        return Task.FromResult(updated);
    }

    private static TimeSpan? Mean(List<TimeSpan> spans) => spans.Count == 0 ? null : TimeSpan.FromTicks((long)spans.Average(t => t.Ticks));
}
