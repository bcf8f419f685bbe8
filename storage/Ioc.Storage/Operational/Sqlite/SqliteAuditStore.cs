using Dapper;
using Ioc.Storage.Sqlite;

namespace Ioc.Storage.Operational.Sqlite;

/// <summary>The dashboard's action audit in SQLite (<c>dashboard_audit</c>).</summary>
internal sealed class SqliteAuditStore(SqliteDatabase database) : IAuditStore
{
    public async Task WriteAsync(DateTimeOffset at, string userName, string action, string target, string detail, bool allowed, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO dashboard_audit(at, user_name, action, target, detail, allowed) VALUES (@at, @userName, @action, @target, @detail, @allowed)",
            new { at = at.ToUnixTimeMilliseconds(), userName, action, target, detail = detail.Length > 1024 ? detail[..1024] : detail, allowed = allowed ? 1 : 0 },
            cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<AuditEntry>> ListAsync(int limit, string? userName, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long Id, long At, string UserName, string Action, string Target, string Detail, long Allowed, string? Before, string? After)>(new CommandDefinition(
            """
            SELECT id, at, user_name, action, target, detail, allowed, before_json, after_json FROM dashboard_audit
            WHERE @userName IS NULL OR user_name = @userName ORDER BY id DESC LIMIT @limit
            """,
            new { userName, limit = Math.Clamp(limit, 1, 5000) },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => new AuditEntry(r.Id, DateTimeOffset.FromUnixTimeMilliseconds(r.At), r.UserName, r.Action, r.Target, r.Detail, r.Allowed != 0, r.Before, r.After))];
    }
}
