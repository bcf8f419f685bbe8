using Dapper;
using Ioc.Storage.Sqlite;

namespace Ioc.Storage.Operational.Sqlite;

/// <summary>Leases in SQLite, decided by SQLite's clock in one upsert (SQLite serialises writers, so it is atomic).</summary>
internal sealed class SqliteLeaseStore(SqliteDatabase database) : ILeaseStore
{
    /// <summary>SQLite's clock in Unix milliseconds.</summary>
    private const string NowMs = "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";

    public async Task<bool> TryAcquireAsync(string name, string holder, string? endpoint, TimeSpan ttl, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var winner = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            $"""
            INSERT INTO leases (name, holder, endpoint, acquired_at, expires_at) VALUES (@name, @holder, @endpoint, {NowMs}, {NowMs} + @ttl)
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, endpoint = excluded.endpoint, expires_at = excluded.expires_at,
                acquired_at = CASE WHEN leases.holder = excluded.holder THEN leases.acquired_at ELSE excluded.acquired_at END
            WHERE leases.expires_at <= {NowMs} OR leases.holder = excluded.holder
            RETURNING holder
            """,
            new { name, holder, endpoint, ttl = (long)ttl.TotalMilliseconds },
            cancellationToken: cancellationToken));
        return winner == holder;
    }

    public async Task ReleaseAsync(string name, string holder, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM leases WHERE name = @name AND holder = @holder", new { name, holder }, cancellationToken: cancellationToken));
    }

    public async Task<Lease?> GetAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string? Holder, string? Endpoint, long ExpiresAt)>(new CommandDefinition(
            $"SELECT holder, endpoint, expires_at FROM leases WHERE name = @name AND expires_at > {NowMs}", new { name }, cancellationToken: cancellationToken));
        return row.Holder is { } holder ? new Lease(holder, row.Endpoint, DateTimeOffset.FromUnixTimeMilliseconds(row.ExpiresAt)) : null;
    }
}
