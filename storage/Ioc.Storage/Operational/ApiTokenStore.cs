using System.Data.Common;
using Dapper;

namespace Ioc.Storage.Operational;

/// <summary>
/// <see cref="IApiTokenStore"/> over table <c>api_tokens</c>, the same SQL on SQLite and PostgreSQL (times as Unix
/// milliseconds in both, <c>RETURNING</c> in both), like <see cref="DeviceCredentialStore"/>.
/// </summary>
internal sealed class ApiTokenStore(Func<CancellationToken, Task<DbConnection>> open) : IApiTokenStore
{
    private const string Columns = """
        id AS Id, name AS Name, prefix AS Prefix, token_hash AS TokenHash, role AS Role, created_by AS CreatedBy,
        created_at AS CreatedAt, last_used_at AS LastUsedAt, revoked_at AS RevokedAt, revoked_by AS RevokedBy
        """;

    public async Task<IssuedApiToken> CreateAsync(string name, string role, string createdBy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        var secret = ApiTokenSecrets.NewSecret();
        var prefix = ApiTokenSecrets.PrefixOf(secret);
        await using var connection = await open(cancellationToken);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO api_tokens(name, prefix, token_hash, role, created_by, created_at)
            VALUES (@name, @prefix, @hash, @role, @createdBy, @now)
            RETURNING id
            """,
            new { name = name.Trim(), prefix, hash = ApiTokenSecrets.Hash(secret), role, createdBy, now = now.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
        var token = new ApiToken(id, name.Trim(), prefix, role, createdBy, DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds()), null, null, null);
        return new IssuedApiToken(token, secret);
    }

    public async Task<ApiToken?> VerifyAsync(string secret, CancellationToken cancellationToken)
    {
        if (!ApiTokenSecrets.IsWellFormed(secret))
        {
            return null;
        }

        await using var connection = await open(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM api_tokens WHERE prefix = @prefix AND revoked_at IS NULL",
            new { prefix = ApiTokenSecrets.PrefixOf(secret) },
            cancellationToken: cancellationToken));
        return rows.FirstOrDefault(r => ApiTokenSecrets.Matches(secret, r.TokenHash))?.ToToken();
    }

    public async Task RecordUseAsync(long id, DateTimeOffset at, TimeSpan resolution, CancellationToken cancellationToken)
    {
        await using var connection = await open(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE api_tokens SET last_used_at = @at WHERE id = @id AND (last_used_at IS NULL OR last_used_at <= @before)",
            new { id, at = at.ToUnixTimeMilliseconds(), before = (at - resolution).ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
    }

    public async Task<bool> RevokeAsync(long id, string revokedBy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await open(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE api_tokens SET revoked_at = @now, revoked_by = @revokedBy WHERE id = @id AND revoked_at IS NULL",
            new { id, revokedBy, now = now.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken)) == 1;
    }

    public async Task<IReadOnlyList<ApiToken>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await open(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM api_tokens ORDER BY id DESC", cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToToken())];
    }

    private sealed class Row
    {
        public long Id { get; init; }

        public string Name { get; init; } = string.Empty;

        public string Prefix { get; init; } = string.Empty;

        public string TokenHash { get; init; } = string.Empty;

        public string Role { get; init; } = string.Empty;

        public string CreatedBy { get; init; } = string.Empty;

        public long CreatedAt { get; init; }

        public long? LastUsedAt { get; init; }

        public long? RevokedAt { get; init; }

        public string? RevokedBy { get; init; }

        public ApiToken ToToken() => new(
            Id, Name, Prefix, Role, CreatedBy, FromMs(CreatedAt),
            LastUsedAt is { } used ? FromMs(used) : null,
            RevokedAt is { } revoked ? FromMs(revoked) : null,
            RevokedBy);

        private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
    }
}
