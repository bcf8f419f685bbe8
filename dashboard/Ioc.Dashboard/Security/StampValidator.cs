using System.Globalization;
using System.Security.Claims;
using Ioc.Dashboard.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Ioc.Dashboard.Security;

/// <summary>
/// Runs on every request that carries the cookie (cookie authentication calls it each time, no interval): refuses a cookie
/// whose user was disabled, deleted, logged out, or had role or password changed since it was issued (the stamp), and one
/// older than <see cref="DashboardOptions.SessionMaxAge"/> counted from the login, however often it slid.
/// </summary>
internal static class StampValidator
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        if (context.Principal is not { } principal
            || !await IsCurrentAsync(principal, services.GetRequiredService<UserStore>(), services.GetRequiredService<IOptions<DashboardOptions>>().Value, services.GetRequiredService<TimeProvider>(), context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    /// <summary>The one check for cookies and open circuits alike.</summary>
    public static async Task<bool> IsCurrentAsync(ClaimsPrincipal principal, UserStore users, DashboardOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var name = principal.Identity?.Name;
        var stamp = principal.FindFirst(AccountEndpoints.StampClaim)?.Value;
        var loginAt = principal.FindFirst(AccountEndpoints.LoginAtClaim)?.Value;
        if (name is null || stamp is null
            || !long.TryParse(loginAt, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            || time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds) > options.SessionMaxAge)
        {
            return false;
        }

        return await users.GetSecurityStampAsync(name, cancellationToken) == stamp;
    }
}
