using Ioc.Storage.Sqlite;

namespace Ioc.Dashboard.Security;

/// <summary>Every action a user takes (or is refused) is written here; admins read it.</summary>
public sealed class AuditLog
{
    private readonly SqliteDatabase _database;
    private readonly TimeProvider _time;

    public AuditLog(SqliteDatabase database, TimeProvider time)
    {
        _database = database;
        _time = time;
    }

    public async Task WriteAsync(string userName, string action, string target, string detail, bool allowed, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO dashboard_audit(at, user_name, action, target, detail, allowed) VALUES ($at, $user, $action, $target, $detail, $allowed)";
        command.Parameters.AddWithValue("$at", _time.GetUtcNow().ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$user", userName);
        command.Parameters.AddWithValue("$action", action);
        command.Parameters.AddWithValue("$target", target);
        command.Parameters.AddWithValue("$detail", detail.Length > 1024 ? detail[..1024] : detail);
        command.Parameters.AddWithValue("$allowed", allowed ? 1 : 0);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Newest first.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAsync(int limit, string? userName, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = userName is null
            ? "SELECT id, at, user_name, action, target, detail, allowed FROM dashboard_audit ORDER BY id DESC LIMIT $limit"
            : "SELECT id, at, user_name, action, target, detail, allowed FROM dashboard_audit WHERE user_name = $user ORDER BY id DESC LIMIT $limit";
        command.Parameters.AddWithValue("$limit", Math.Clamp(limit, 1, 5000));
        if (userName is not null)
        {
            command.Parameters.AddWithValue("$user", userName);
        }

        var entries = new List<AuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new AuditEntry(
                reader.GetInt64(0),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                reader.GetInt64(6) != 0));
        }

        return entries;
    }
}
