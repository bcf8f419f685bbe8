using Ioc.Contract.Alerts;

namespace Ioc.Storage.Operational;

/// <summary>
/// Alerts, their audit trail, comments and silences. Every change to an alert is a read-modify-write in one transaction
/// that locks the row, so the engine and the dashboard never overwrite each other.
/// </summary>
public interface IAlertStore
{
    /// <summary>The whole operational store's migrations (kept here so the engine can make sure before it reads).</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    Task<Alert?> GetAsync(long id, CancellationToken cancellationToken);

    Task<Alert?> FindOpenAsync(string ruleId, string subjectKey, CancellationToken cancellationToken);

    /// <summary>Inserts a new open alert with its first audit line; returns it with its id.</summary>
    Task<Alert> InsertAsync(Alert alert, string actor, string action, string? detail, CancellationToken cancellationToken);

    /// <summary>
    /// Reads the alert, lets <paramref name="change"/> decide (null: nothing to do), writes the result and its audit lines,
    /// all in one transaction holding the row. Returns the stored alert, or null when the alert does not exist or nothing changed.
    /// </summary>
    Task<Alert?> UpdateAsync(long id, DateTimeOffset now, Func<Alert, AlertMutation?> change, CancellationToken cancellationToken);

    Task<IReadOnlyList<Alert>> ListAsync(AlertFilter filter, bool openOnly, CancellationToken cancellationToken);

    Task<IReadOnlyList<Alert>> ListOpenAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<Alert>> ChildrenAsync(long parentId, CancellationToken cancellationToken);

    /// <summary>Links the open alerts of <paramref name="childRuleId"/> in a district or site (<paramref name="groupColumn"/>) under a parent alert.</summary>
    Task<IReadOnlyList<long>> LinkChildrenAsync(long parentId, string childRuleId, string groupColumn, string group, DateTimeOffset now, CancellationToken cancellationToken);

    Task<IReadOnlyList<AlertAuditEntry>> AuditAsync(long alertId, CancellationToken cancellationToken);

    Task<AlertComment> AddCommentAsync(long alertId, string author, string text, DateTimeOffset now, CancellationToken cancellationToken);

    Task<IReadOnlyList<AlertComment>> CommentsAsync(long alertId, CancellationToken cancellationToken);

    Task<Silence> InsertSilenceAsync(Silence silence, CancellationToken cancellationToken);

    Task<Silence?> EndSilenceAsync(long id, string user, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Silences not yet over at <paramref name="now"/> (active or scheduled), or also past ones when asked.</summary>
    Task<IReadOnlyList<Silence>> ListSilencesAsync(DateTimeOffset now, bool includeExpired, CancellationToken cancellationToken);

    /// <summary>Mean time to acknowledge and to resolve of the alerts fired in [from, to), by severity, by site and overall.</summary>
    Task<AlertStatistics> StatisticsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>Deletes alerts resolved before <paramref name="before"/> with their audit, comments and notification records; returns how many.</summary>
    Task<int> PurgeResolvedAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
