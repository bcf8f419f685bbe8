using System.Security.Cryptography;
using Ioc.Storage.Sqlite;
using Ioc.Dashboard.Configuration;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Ioc.Dashboard.Security;

/// <summary>
/// Console accounts in SQLite. Passwords are hashed with ASP.NET Core Identity's PBKDF2 <see cref="PasswordHasher{TUser}"/>;
/// a run of failed logins locks the account for <see cref="DashboardOptions.LockoutDuration"/>.
/// </summary>
public sealed class UserStore
{
    private const string Columns = "id, user_name, display_name, role, disabled, failed_logins, locked_until, created_at, last_login_at";
    private static readonly PasswordHasher<string> Hasher = new();
    private readonly SqliteDatabase _database;
    private readonly DashboardOptions _options;
    private readonly TimeProvider _time;

    public UserStore(SqliteDatabase database, IOptions<DashboardOptions> options, TimeProvider time)
    {
        _database = database;
        _options = options.Value;
        _time = time;
    }

    public const int MinPasswordLength = 12;

    public async Task<DashboardUser> CreateAsync(string userName, string displayName, string role, string password, CancellationToken cancellationToken)
    {
        ValidateUserName(userName);
        ValidateRole(role);
        ValidatePassword(password);
        await using var connection = await _database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO dashboard_users(user_name, display_name, role, password_hash, security_stamp, created_at)
            VALUES ($name, $display, $role, $hash, $stamp, $now)
            """;
        command.Parameters.AddWithValue("$name", userName);
        command.Parameters.AddWithValue("$display", string.IsNullOrWhiteSpace(displayName) ? userName : displayName.Trim());
        command.Parameters.AddWithValue("$role", role);
        command.Parameters.AddWithValue("$hash", Hasher.HashPassword(userName, password));
        command.Parameters.AddWithValue("$stamp", NewStamp());
        command.Parameters.AddWithValue("$now", _time.GetUtcNow().ToUnixTimeMilliseconds());
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
        {
            throw new ArgumentException($"A user named '{userName}' already exists.", nameof(userName), ex);
        }

        return (await FindAsync(userName, cancellationToken))!;
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM dashboard_users";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<DashboardUser?> FindAsync(string userName, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM dashboard_users WHERE user_name = $name";
        command.Parameters.AddWithValue("$name", userName);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<DashboardUser>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM dashboard_users ORDER BY user_name";
        var users = new List<DashboardUser>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            users.Add(Read(reader));
        }

        return users;
    }

    /// <summary>Checks a password; counts failures and locks the account after <see cref="DashboardOptions.MaxFailedLogins"/> in a row.</summary>
    public async Task<LoginResult> VerifyAsync(string userName, string password, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        await using var connection = await _database.OpenAsync(cancellationToken);
        string? hash;
        DashboardUser? user;
        using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT {Columns}, password_hash FROM dashboard_users WHERE user_name = $name";
            command.Parameters.AddWithValue("$name", userName);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                // Same work as a real check, so timing does not tell which names exist.
                Hasher.VerifyHashedPassword(userName, DummyHash, password);
                return new LoginResult(LoginOutcome.InvalidCredentials, null);
            }

            user = Read(reader);
            hash = reader.GetString(9);
        }

        if (user.IsLockedOut(now))
        {
            return new LoginResult(LoginOutcome.LockedOut, user);
        }

        if (user.Disabled)
        {
            return new LoginResult(LoginOutcome.Disabled, user);
        }

        var verdict = Hasher.VerifyHashedPassword(user.UserName, hash, password);
        using var update = connection.CreateCommand();
        update.Parameters.AddWithValue("$id", user.Id);
        if (verdict == PasswordVerificationResult.Failed)
        {
            var failures = user.FailedLogins + 1;
            var lockNow = failures >= _options.MaxFailedLogins;
            update.CommandText = "UPDATE dashboard_users SET failed_logins = $failures, locked_until = $until WHERE id = $id";
            update.Parameters.AddWithValue("$failures", lockNow ? 0 : failures);
            update.Parameters.AddWithValue("$until", lockNow ? (now + _options.LockoutDuration).ToUnixTimeMilliseconds() : DBNull.Value);
            await update.ExecuteNonQueryAsync(cancellationToken);
            return new LoginResult(lockNow ? LoginOutcome.LockedOut : LoginOutcome.InvalidCredentials, user);
        }

        update.CommandText = verdict == PasswordVerificationResult.SuccessRehashNeeded
            ? "UPDATE dashboard_users SET failed_logins = 0, locked_until = NULL, last_login_at = $now, password_hash = $hash WHERE id = $id"
            : "UPDATE dashboard_users SET failed_logins = 0, locked_until = NULL, last_login_at = $now WHERE id = $id";
        update.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            update.Parameters.AddWithValue("$hash", Hasher.HashPassword(user.UserName, password));
        }

        await update.ExecuteNonQueryAsync(cancellationToken);
        return new LoginResult(LoginOutcome.Success, user with { FailedLogins = 0, LockedUntil = null, LastLoginAt = now });
    }

    /// <summary>The stamp changes whenever role, password or state changes; a cookie with an older stamp is refused.</summary>
    public async Task<string?> GetSecurityStampAsync(string userName, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT security_stamp FROM dashboard_users WHERE user_name = $name AND disabled = 0";
        command.Parameters.AddWithValue("$name", userName);
        return (string?)await command.ExecuteScalarAsync(cancellationToken);
    }

    public Task SetRoleAsync(string userName, string role, CancellationToken cancellationToken)
    {
        ValidateRole(role);
        return UpdateAsync(userName, "role = $value", role, cancellationToken);
    }

    public Task SetDisabledAsync(string userName, bool disabled, CancellationToken cancellationToken) =>
        UpdateAsync(userName, "disabled = $value", disabled ? 1 : 0, cancellationToken);

    public Task UnlockAsync(string userName, CancellationToken cancellationToken) =>
        UpdateAsync(userName, "failed_logins = 0, locked_until = $value", DBNull.Value, cancellationToken);

    public Task SetPasswordAsync(string userName, string password, CancellationToken cancellationToken)
    {
        ValidatePassword(password);
        return UpdateAsync(userName, "password_hash = $value, failed_logins = 0, locked_until = NULL", Hasher.HashPassword(userName, password), cancellationToken);
    }

    internal static string GeneratePassword()
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        return RandomNumberGenerator.GetString(alphabet, 20);
    }

    private async Task UpdateAsync(string userName, string set, object value, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"UPDATE dashboard_users SET {set}, security_stamp = $stamp WHERE user_name = $name";
        command.Parameters.AddWithValue("$value", value);
        command.Parameters.AddWithValue("$stamp", NewStamp());
        command.Parameters.AddWithValue("$name", userName);
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw new ArgumentException($"There is no user named '{userName}'.", nameof(userName));
        }
    }

    private static readonly string DummyHash = Hasher.HashPassword("-", GeneratePassword());

    private static string NewStamp() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    private static void ValidateUserName(string userName)
    {
        if (string.IsNullOrWhiteSpace(userName) || userName.Length > 64 || !userName.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            throw new ArgumentException("A user name is 1 to 64 letters, digits, '.', '_' or '-'.", nameof(userName));
        }
    }

    private static void ValidateRole(string role)
    {
        if (!Roles.IsKnown(role))
        {
            throw new ArgumentException($"Role must be one of {string.Join(", ", Roles.All)}.", nameof(role));
        }
    }

    private static void ValidatePassword(string password)
    {
        if (password is null || password.Length < MinPasswordLength)
        {
            throw new ArgumentException($"A password has at least {MinPasswordLength} characters.", nameof(password));
        }
    }

    private static DashboardUser Read(SqliteDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetInt64(4) != 0,
        reader.GetInt32(5),
        reader.IsDBNull(6) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)),
        reader.IsDBNull(8) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(8)));
}
