using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;

namespace Ioc.Dashboard.Security;

/// <summary>Refuses a cookie whose user was disabled, deleted, or had role or password changed since it was issued.</summary>
internal static class StampValidator
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var name = context.Principal?.Identity?.Name;
        var stamp = context.Principal?.FindFirst(AccountEndpoints.StampClaim)?.Value;
        if (name is null || stamp is null)
        {
            context.RejectPrincipal();
            return;
        }

        var users = context.HttpContext.RequestServices.GetRequiredService<UserStore>();
        var current = await users.GetSecurityStampAsync(name, context.HttpContext.RequestAborted);
        if (current != stamp)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }
}
