namespace Ioc.Dashboard.Security;

/// <summary>Every action a user takes (or is refused) is written here, stamped with the dashboard's clock; admins read it.</summary>
public sealed class AuditLog
{
    private readonly IAuditStore _store;
    private readonly TimeProvider _time;

    public AuditLog(IAuditStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
    }

    public Task WriteAsync(string userName, string action, string target, string detail, bool allowed, CancellationToken cancellationToken) =>
        _store.WriteAsync(_time.GetUtcNow(), userName, action, target, detail, allowed, cancellationToken);

    /// <summary>Newest first.</summary>
    public Task<IReadOnlyList<AuditEntry>> ListAsync(int limit, string? userName, CancellationToken cancellationToken) =>
        _store.ListAsync(limit, userName, cancellationToken);
}
