using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace Ioc.Dashboard.Security;

/// <summary>Checks an action against the user's role and records the attempt, allowed or not, in the audit log.</summary>
public sealed class ActionGuard
{
    private readonly IAuthorizationService _authorization;
    private readonly AuditLog _audit;

    public ActionGuard(IAuthorizationService authorization, AuditLog audit)
    {
        _authorization = authorization;
        _audit = audit;
    }

    public async Task<bool> CanAsync(ClaimsPrincipal user, string policy) =>
        (await _authorization.AuthorizeAsync(user, policy)).Succeeded;

    /// <summary>True when <paramref name="user"/> may do <paramref name="action"/>; either way the attempt is audited.</summary>
    public async Task<bool> AuthorizeAsync(ClaimsPrincipal user, string policy, string action, string target, string detail, CancellationToken cancellationToken)
    {
        var allowed = await CanAsync(user, policy);
        await _audit.WriteAsync(user.Identity?.Name ?? "(anonymous)", action, target, detail, allowed, cancellationToken);
        return allowed;
    }
}
