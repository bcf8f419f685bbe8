using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Ioc.Dashboard.Security;

/// <summary>
/// Browser-side hardening on every response the dashboard sends: pages, static files, endpoints, redirects and errors (set
/// when the response starts, so an exception handler that clears the headers does not lose them).
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// What Blazor Server and MudBlazor need, checked in Chromium (SecurityHeadersTests): scripts only from this origin (no
    /// inline script, no eval: Blazor Server needs neither), inline styles (MudBlazor sets style attributes), data: images,
    /// the circuit's WebSocket on this origin ('self' covers ws/wss of the same host), no framing, no plugins.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    /// <summary>
    /// <see cref="HttpContext.Items"/> key: a page that needs another policy than <see cref="ContentSecurityPolicy"/> (the
    /// API reference page, whose script is inline) puts its own there before the response starts.
    /// </summary>
    public const string ContentSecurityPolicyOverride = "ioc.csp";

    /// <summary>The console uses no device feature; the kiosk is a full-screen browser, not a frame.</summary>
    public const string PermissionsPolicy = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), interest-cohort=()";

    public static IApplicationBuilder UseIocSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var http = (HttpContext)state;
                var headers = http.Response.Headers;
                headers.ContentSecurityPolicy = http.Items[ContentSecurityPolicyOverride] as string ?? ContentSecurityPolicy;
                headers.XFrameOptions = "DENY";
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers["Permissions-Policy"] = PermissionsPolicy;
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                return Task.CompletedTask;
            }, context);
            return next(context);
        });
}
