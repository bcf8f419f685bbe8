namespace Ioc.Dashboard.Security;

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

public enum LoginOutcome
{
    Success,
    InvalidCredentials,
    LockedOut,
    Disabled,
}

public sealed record LoginResult(LoginOutcome Outcome, DashboardUser? User);

/// <summary>One line of the audit log: who did what to what, and whether it was allowed.</summary>
public sealed record AuditEntry(long Id, DateTimeOffset At, string UserName, string Action, string Target, string Detail, bool Allowed);
