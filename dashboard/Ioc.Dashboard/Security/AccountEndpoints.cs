using System.Security.Claims;
using Ioc.Dashboard.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Ioc.Dashboard.Security;

/// <summary>Login, logout and the culture switch: plain form posts, so they work before any interactive circuit exists.</summary>
internal static class AccountEndpoints
{
    public const string DisplayNameClaim = "ioc:display_name";
    public const string StampClaim = "ioc:stamp";

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/account/login", LoginAsync).AllowAnonymous();
        endpoints.MapPost("/account/logout", LogoutAsync).RequireAuthorization();
        endpoints.MapGet("/account/culture", SetCulture).AllowAnonymous();
    }

    private static async Task<IResult> LoginAsync(
        HttpContext http,
        [FromForm] string userName,
        [FromForm] string password,
        [FromForm] string? returnUrl,
        UserStore users,
        AuditLog audit,
        ILogger<UserStore> logger)
    {
        var result = await users.VerifyAsync(userName ?? string.Empty, password ?? string.Empty, http.RequestAborted);
        Log.LoginAttempt(logger, userName ?? string.Empty, result.Outcome.ToString());
        await audit.WriteAsync(userName ?? string.Empty, "login", "session", result.Outcome.ToString(), result.Outcome == LoginOutcome.Success, http.RequestAborted);
        var safeReturn = IsLocal(returnUrl) ? returnUrl! : "/";
        if (result.Outcome != LoginOutcome.Success)
        {
            var error = result.Outcome == LoginOutcome.LockedOut ? "locked" : result.Outcome == LoginOutcome.Disabled ? "disabled" : "invalid";
            return Results.LocalRedirect($"~/login?error={error}&returnUrl={Uri.EscapeDataString(safeReturn)}");
        }

        var user = result.User!;
        var stamp = await users.GetSecurityStampAsync(user.UserName, http.RequestAborted) ?? string.Empty;
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, user.UserName),
                new Claim(ClaimTypes.Role, user.Role),
                new Claim(DisplayNameClaim, user.DisplayName),
                new Claim(StampClaim, stamp),
            ],
            CookieAuthenticationDefaults.AuthenticationScheme);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return Results.LocalRedirect("~" + safeReturn);
    }

    private static async Task<IResult> LogoutAsync(HttpContext http, AuditLog audit)
    {
        await audit.WriteAsync(http.User.Identity?.Name ?? string.Empty, "logout", "session", string.Empty, true, http.RequestAborted);
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.LocalRedirect("~/login");
    }

    private static IResult SetCulture(HttpContext http, string culture, string? redirectUri)
    {
        if (DashboardOptions.SupportedCultures.Contains(culture))
        {
            http.Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, HttpOnly = false, SameSite = SameSiteMode.Lax });
        }

        return Results.LocalRedirect(IsLocal(redirectUri) ? "~" + redirectUri : "~/");
    }

    internal static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));
}
