using Dapper;
using Ioc.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Ioc.Storage.Operational.Sqlite;

/// <summary>Dashboard accounts in SQLite (<c>dashboard_users</c>; the name is unique with <c>COLLATE NOCASE</c>).</summary>
internal sealed class SqliteUserStore(SqliteDatabase database) : IUserStore
{
    private const string Columns = """
        id AS Id, user_name AS UserName, display_name AS DisplayName, role AS Role, disabled AS Disabled, failed_logins AS FailedLogins,
        locked_until AS LockedUntil, created_at AS CreatedAt, last_login_at AS LastLoginAt
        """;

    public async Task<DashboardUser> CreateAsync(string userName, string displayName, string role, string passwordHash, string securityStamp, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO dashboard_users(user_name, display_name, role, password_hash, security_stamp, created_at)
                VALUES (@userName, @displayName, @role, @passwordHash, @securityStamp, @createdAt)
                """,
                new { userName, displayName, role, passwordHash, securityStamp, createdAt = createdAt.ToUnixTimeMilliseconds() },
                cancellationToken: cancellationToken));
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
        {
            throw new ArgumentException($"A user named '{userName}' already exists.", nameof(userName), ex);
        }

        return (await FindAsync(userName, cancellationToken))!;
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM dashboard_users", cancellationToken: cancellationToken));
    }

    public async Task<DashboardUser?> FindAsync(string userName, CancellationToken cancellationToken) =>
        (await FindCredentialsAsync(userName, cancellationToken))?.User;

    public async Task<UserCredentials?> FindCredentialsAsync(string userName, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            $"SELECT {Columns}, password_hash AS PasswordHash FROM dashboard_users WHERE user_name = @userName", new { userName }, cancellationToken: cancellationToken));
        return row is null ? null : new UserCredentials(row.ToUser(), row.PasswordHash);
    }

    public async Task<IReadOnlyList<DashboardUser>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<UserRow>(new CommandDefinition($"SELECT {Columns}, '' AS PasswordHash FROM dashboard_users ORDER BY user_name", cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToUser())];
    }

    public async Task RecordFailedLoginAsync(long id, int failedLogins, DateTimeOffset? lockedUntil, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE dashboard_users SET failed_logins = @failedLogins, locked_until = @until WHERE id = @id",
            new { id, failedLogins, until = lockedUntil?.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
    }

    public async Task RecordLoginAsync(long id, DateTimeOffset at, string? newPasswordHash, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE dashboard_users SET failed_logins = 0, locked_until = NULL, last_login_at = @at,
                password_hash = COALESCE(@newPasswordHash, password_hash)
            WHERE id = @id
            """,
            new { id, at = at.ToUnixTimeMilliseconds(), newPasswordHash },
            cancellationToken: cancellationToken));
    }

    public async Task<string?> GetSecurityStampAsync(string userName, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT security_stamp FROM dashboard_users WHERE user_name = @userName AND disabled = 0", new { userName }, cancellationToken: cancellationToken));
    }

    public Task<bool> SetRoleAsync(string userName, string role, string newStamp, CancellationToken cancellationToken) =>
        UpdateAsync(userName, "role = @value", role, newStamp, cancellationToken);

    public Task<bool> SetDisabledAsync(string userName, bool disabled, string newStamp, CancellationToken cancellationToken) =>
        UpdateAsync(userName, "disabled = @value", disabled ? 1 : 0, newStamp, cancellationToken);

    public Task<bool> UnlockAsync(string userName, string newStamp, CancellationToken cancellationToken) =>
        UpdateAsync(userName, "failed_logins = 0, locked_until = @value", null, newStamp, cancellationToken);

    public Task<bool> SetPasswordHashAsync(string userName, string passwordHash, string newStamp, CancellationToken cancellationToken) =>
        UpdateAsync(userName, "password_hash = @value, failed_logins = 0, locked_until = NULL", passwordHash, newStamp, cancellationToken);

    public Task<bool> SetSecurityStampAsync(string userName, string newStamp, CancellationToken cancellationToken) =>
        UpdateAsync(userName, "failed_logins = failed_logins", null, newStamp, cancellationToken);

    private async Task<bool> UpdateAsync(string userName, string set, object? value, string stamp, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE dashboard_users SET {set}, security_stamp = @stamp WHERE user_name = @userName", new { value, stamp, userName }, cancellationToken: cancellationToken)) > 0;
    }

    private sealed class UserRow
    {
        public long Id { get; init; }

        public string UserName { get; init; } = "";

        public string DisplayName { get; init; } = "";

        public string Role { get; init; } = "";

        public long Disabled { get; init; }

        public int FailedLogins { get; init; }

        public long? LockedUntil { get; init; }

        public long CreatedAt { get; init; }

        public long? LastLoginAt { get; init; }

        public string PasswordHash { get; init; } = "";

        public DashboardUser ToUser() => new(
            Id, UserName, DisplayName, Role, Disabled != 0, FailedLogins,
            LockedUntil is { } until ? DateTimeOffset.FromUnixTimeMilliseconds(until) : null,
            DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt),
            LastLoginAt is { } last ? DateTimeOffset.FromUnixTimeMilliseconds(last) : null);
    }
}
