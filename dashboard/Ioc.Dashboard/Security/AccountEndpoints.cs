using System.Globalization;
using System.Security.Claims;
using Ioc.Dashboard.Configuration;
using Microsoft.AspNetCore.Antiforgery;
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

    /// <summary>When the password was given (Unix seconds): the session's absolute age is counted from it.</summary>
    public const string LoginAtClaim = "ioc:login_at";

    /// <summary>The rate-limiter policy on the login post (per client address).</summary>
    public const string LoginRatePolicy = "login";

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        // Both posts need the form's antiforgery token: minimal APIs refuse a [FromForm] post without it (400); logout, which
        // reads no form field, checks it itself.
        endpoints.MapPost("/account/login", LoginAsync).AllowAnonymous().RequireRateLimiting(LoginRatePolicy);
        endpoints.MapPost("/account/logout", LogoutAsync).RequireAuthorization();
        endpoints.MapGet("/account/culture", SetCulture).AllowAnonymous();
    }

    /// <summary>The address a login attempt comes from (the proxy's, unless forwarded headers are configured by the host).</summary>
    public static string SourceOf(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static async Task<IResult> LoginAsync(
        HttpContext http,
        [FromForm] string userName,
        [FromForm] string password,
        [FromForm] string? returnUrl,
        UserStore users,
        LoginThrottle throttle,
        AuditLog audit,
        TimeProvider time,
        ILogger<UserStore> logger)
    {
        userName ??= string.Empty;
        var source = SourceOf(http);
        var safeReturn = IsLocal(returnUrl) ? returnUrl! : "/";
        string outcome;
        LoginResult? result = null;
        if (throttle.IsLocked(userName, source))
        {
            outcome = "LockedOutForSource";
        }
        else
        {
            result = await users.VerifyAsync(userName, password ?? string.Empty, http.RequestAborted);
            outcome = result.Outcome.ToString();
            if (result.Outcome == LoginOutcome.Success)
            {
                throttle.RecordSuccess(userName, source);
            }
            else if (throttle.RecordFailure(userName, source))
            {
                outcome += "+LockedOutForSource";
            }
        }

        // The audit log and the server log hold the truth; the caller learns only "wrong name or password", whatever the cause,
        // so unknown, locked and disabled names look the same from outside.
        Log.LoginAttempt(logger, userName, outcome);
        await audit.WriteAsync(userName, "login", "session", $"{outcome} from {source}", result?.Outcome == LoginOutcome.Success, http.RequestAborted);
        if (result?.Outcome != LoginOutcome.Success)
        {
            return Results.LocalRedirect($"~/login?error=invalid&returnUrl={Uri.EscapeDataString(safeReturn)}");
        }

        var user = result.User!;
        var stamp = await users.GetSecurityStampAsync(user.UserName, http.RequestAborted) ?? string.Empty;
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, user.UserName),
                new Claim(ClaimTypes.Role, user.Role),
                new Claim(DisplayNameClaim, user.DisplayName),
                new Claim(StampClaim, stamp),
                new Claim(LoginAtClaim, time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
            ],
            CookieAuthenticationDefaults.AuthenticationScheme);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return Results.LocalRedirect("~" + safeReturn);
    }

    private static async Task<IResult> LogoutAsync(HttpContext http, IAntiforgery antiforgery, UserStore users, AuditLog audit)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Results.BadRequest();
        }

        var name = http.User.Identity?.Name ?? string.Empty;
        await audit.WriteAsync(name, "logout", "session", string.Empty, true, http.RequestAborted);
        // A new stamp: every copy of this user's cookie (and every open page) dies, not only this browser's.
        if (name.Length > 0 && await users.FindAsync(name, http.RequestAborted) is not null)
        {
            await users.RotateSecurityStampAsync(name, http.RequestAborted);
        }

        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.LocalRedirect("~/login");
    }

    private static IResult SetCulture(HttpContext http, string? culture, string? redirectUri)
    {
        if (culture is not null && DashboardOptions.SupportedCultures.Contains(culture))
        {
            http.Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, HttpOnly = false, SameSite = SameSiteMode.Lax, Secure = http.Request.IsHttps });
        }

        return Results.Redirect(http.Request.PathBase + (IsLocal(redirectUri) ? redirectUri! : "/"));
    }

    /// <summary>
    /// True only for a plain path on this host: starts with one '/', no second '/' or '\' after it, no control character
    /// or whitespace anywhere (browsers drop tabs and newlines, turning "/\t/evil" into "//evil"), no backslash, no encoded
    /// slash, backslash or control character. Never throws.
    /// </summary>
    internal static bool IsLocal(string? url)
    {
        if (string.IsNullOrEmpty(url) || url.Length > 2048 || url[0] != '/')
        {
            return false;
        }

        if (url.Length > 1 && url[1] is '/' or '\\')
        {
            return false;
        }

        foreach (var c in url)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c) || c == '\\' || c > '\u007e')
            {
                return false;
            }
        }

        // In the path, encoded '/', '\', '%' or control characters (%2f, %5c, %25, %00-%1f, %7f) could be decoded into one of
        // the above by a proxy or a browser. The query may hold them (a return URL inside it): it cannot change the host.
        var pathEnd = url.IndexOfAny(['?', '#']);
        var path = pathEnd < 0 ? url : url[..pathEnd];
        for (var i = path.IndexOf('%', StringComparison.Ordinal); i >= 0; i = path.IndexOf('%', i + 1))
        {
            if (i + 2 >= path.Length || !byte.TryParse(path.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
            {
                return false;
            }

            if (b is (byte)'/' or (byte)'\\' or (byte)'%' or < 0x20 or 0x7f)
            {
                return false;
            }
        }

        return true;
    }
}
