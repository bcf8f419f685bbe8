namespace Ioc.Storage.Operational;

/// <summary>A console account as stored (without its password hash).</summary>
public sealed record DashboardUser(
    long Id,
    string UserName,
    string DisplayName,
    string Role,
    bool Disabled,
    int FailedLogins,
    DateTimeOffset? LockedUntil,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastLoginAt)
{
    public bool IsLockedOut(DateTimeOffset now) => LockedUntil is { } until && until > now;
}

/// <summary>A user with the password hash, for checking a login.</summary>
public sealed record UserCredentials(DashboardUser User, string PasswordHash);

/// <summary>
/// One line of the dashboard's audit log: who did what to what, and whether it was allowed; for a change of a
/// definition (an alert rule), the JSON before and after (null: did not exist / was deleted).
/// </summary>
public sealed record AuditEntry(long Id, DateTimeOffset At, string UserName, string Action, string Target, string Detail, bool Allowed, string? Before = null, string? After = null);

/// <summary>
/// Dashboard accounts: the hash (computed by the caller), role, lockout counters and the security stamp. User names are
/// unique regardless of case. Every change of role, state or password replaces the stamp with the one given.
/// </summary>
public interface IUserStore
{
    /// <summary>Creates the user; throws <see cref="ArgumentException"/> when the name is taken.</summary>
    Task<DashboardUser> CreateAsync(string userName, string displayName, string role, string passwordHash, string securityStamp, DateTimeOffset createdAt, CancellationToken cancellationToken);

    Task<long> CountAsync(CancellationToken cancellationToken);

    Task<DashboardUser?> FindAsync(string userName, CancellationToken cancellationToken);

    Task<UserCredentials?> FindCredentialsAsync(string userName, CancellationToken cancellationToken);

    Task<IReadOnlyList<DashboardUser>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Stores a failed login: the new count of failures in a row and the lockout end (null: not locked).</summary>
    Task RecordFailedLoginAsync(long id, int failedLogins, DateTimeOffset? lockedUntil, CancellationToken cancellationToken);

    /// <summary>Stores a successful login (failures reset, lock lifted), with a new hash when the old one needed rehashing.</summary>
    Task RecordLoginAsync(long id, DateTimeOffset at, string? newPasswordHash, CancellationToken cancellationToken);

    /// <summary>The stamp of an enabled user, or null.</summary>
    Task<string?> GetSecurityStampAsync(string userName, CancellationToken cancellationToken);

    /// <summary>The following return false when there is no such user.</summary>
    Task<bool> SetRoleAsync(string userName, string role, string newStamp, CancellationToken cancellationToken);

    Task<bool> SetDisabledAsync(string userName, bool disabled, string newStamp, CancellationToken cancellationToken);

    Task<bool> UnlockAsync(string userName, string newStamp, CancellationToken cancellationToken);

    Task<bool> SetPasswordHashAsync(string userName, string passwordHash, string newStamp, CancellationToken cancellationToken);

    /// <summary>Replaces the stamp alone (a logout: every cookie issued before dies).</summary>
    Task<bool> SetSecurityStampAsync(string userName, string newStamp, CancellationToken cancellationToken);
}

/// <summary>Every action a dashboard user takes (or is refused).</summary>
public interface IAuditStore
{
    Task WriteAsync(DateTimeOffset at, string userName, string action, string target, string detail, bool allowed, CancellationToken cancellationToken);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAsync(int limit, string? userName, CancellationToken cancellationToken);
}
