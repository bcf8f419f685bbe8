namespace Ioc.Dashboard.Security;

public enum LoginOutcome
{
    Success,
    InvalidCredentials,
    LockedOut,
    Disabled,
}

public sealed record LoginResult(LoginOutcome Outcome, DashboardUser? User);
