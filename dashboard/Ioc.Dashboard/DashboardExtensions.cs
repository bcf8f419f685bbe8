using System.Globalization;
using System.Text.Encodings.Web;
using System.Threading.RateLimiting;
using Ioc.Storage;
using Ioc.Storage.Operational;
using Ioc.Storage.Sqlite;
using Ioc.Dashboard.Alerts;
using Ioc.Dashboard.Api;
using Ioc.Dashboard.Components;
using Ioc.Dashboard.Configuration;
using Ioc.Dashboard.Data;
using Ioc.Dashboard.Live;
using Ioc.Dashboard.Reports;
using Ioc.Dashboard.Security;
using Ioc.Mqtt.Hosting;
using Ioc.ServiceDefaults;
using Ioc.Contract.Alerts;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Localization;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

namespace Ioc.Dashboard;

/// <summary>Hosting glue: any web host serves the dashboard with these two calls.</summary>
public static class DashboardExtensions
{
    /// <summary>Vietnamese stays readable in the 429 page (the default encoder escapes every non-ASCII letter).</summary>
    private static readonly HtmlEncoder PageEncoder = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    /// <summary>
    /// Registers the dashboard: options (validated at start), cookie auth and policies, users/audit in the operational store, the live MQTT
    /// feed and stores, history queries, MudBlazor and localization. Stores already registered by the host (the collector's
    /// <see cref="ITelemetryStore"/>, <see cref="IDeadLetterStore"/>, <see cref="IOperationalStore"/>) are reused.
    /// The alert pages use what the host registers from Ioc.Alerting: <c>IAlertQueries</c>, <c>IAlertCommands</c> and
    /// <c>IAlertChanges</c> (all three from <c>AddAlerting</c> when the engine runs in this process).
    /// </summary>
    public static IServiceCollection AddIocDashboard(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<DashboardOptions>(configuration, DashboardOptions.SectionName, o => o.Validate());
        services.AddValidatedOptions<DataCenterOptions>(configuration, DataCenterOptions.SectionName, o => o.Validate());
        services.AddMqttConnection(configuration, MqttLiveFeed.MqttComponent);
        services.TryAddSingleton(TimeProvider.System);
        // The same stores as the collector's (kept if the host registered them already).
        services.AddIocStorage(configuration);
        services.AddOperationalStore(configuration);

        services.AddSingleton<DashboardClock>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<AuditLog>();
        services.AddScoped<ActionGuard>();
        services.AddHostedService<AdminBootstrapper>();
        services.AddHostedService<StoreInitializer>();

        services.AddSingleton(sp => new DeviceStateStore(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<DeviceStateStore>>(), sp.GetService<IAlertChanges>()));
        services.AddSingleton<EventFeed>();
        services.AddSingleton<FeedConnection>();
        services.AddSingleton(sp => new AlertAnnouncements(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<AlertAnnouncements>>(), sp.GetService<IAlertChanges>()));
        services.AddHostedService<MqttLiveFeed>();

        services.TryAddSingleton<IFleetDirectory, SeriesFleetDirectory>();
        services.TryAddSingleton<ISiteDirectory>(sp => new RegisteredSiteDirectory(sp.GetRequiredService<ISiteStore>()));
        services.AddHostedService<SiteDirectoryRefresher>();
        services.AddSingleton<Vocabulary>();
        services.AddSingleton<FleetView>();
        services.AddSingleton<TelemetryHistory>();
        services.AddSingleton<UptimeService>();
        services.AddSingleton<DataCenterStatus>();
        services.AddSingleton<OverviewService>();
        services.AddScoped<AlertAccess>();
        // The monthly report: page, workbook, PDF and its e-mail (docs/reports.md).
        services.AddIocReports(configuration);
        // A factory: the rule catalogue comes with the host's alerting registration, which a dashboard may run without.
        services.TryAddSingleton(sp => new Ioc.Alerting.Rules.Catalogue.RuleDryRun(
            sp.GetRequiredService<Ioc.Alerting.Rules.Catalogue.RuleCatalog>(), sp.GetRequiredService<ITelemetryStore>(), sp.GetRequiredService<TimeProvider>()));

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = "ioc.auth";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Strict;
                // Secure whenever the request came over HTTPS; plain-HTTP local use keeps working (see docs/security.md:
                // behind a TLS-terminating proxy the host must apply forwarded headers so the request counts as HTTPS).
                options.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
                options.LoginPath = "/login";
                options.LogoutPath = "/account/logout";
                options.AccessDeniedPath = "/denied";
                options.SlidingExpiration = true;
                options.Events.OnValidatePrincipal = StampValidator.ValidateAsync;
                options.Events.OnRedirectToLogin = context => ApiAwareRedirect(context, StatusCodes.Status401Unauthorized, "unauthorized");
                options.Events.OnRedirectToAccessDenied = context => ApiAwareRedirect(context, StatusCodes.Status403Forbidden, "forbidden");
            });
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<DashboardOptions>>((cookie, dashboard) => cookie.ExpireTimeSpan = dashboard.Value.SessionLifetime);
        services.AddAuthorizationBuilder().AddDashboardPolicies();
        services.AddCascadingAuthenticationState();
        services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, StampRevalidatingStateProvider>();
        services.AddAntiforgery(options =>
        {
            options.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
            options.Cookie.SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Strict;
        });
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>()
            .Configure<IOptions<DashboardOptions>>((limiter, dashboard) =>
            {
                var d = dashboard.Value;
                limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
                limiter.AddPolicy(AccountEndpoints.LoginRatePolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                    AccountEndpoints.SourceOf(http),
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = d.LoginRateLimit, Window = d.LoginRateWindow, QueueLimit = 0 }));
                limiter.OnRejected = LoginThrottledAsync;
            });

        // The public REST API (/api/v1, API tokens) and this host's metrics (/metrics, Ioc:Metrics:Token).
        services.AddIocApi(configuration);
        services.AddIocTelemetry(configuration, "Ioc.Dashboard");
        services.AddSingleton<DashboardMetrics>();
        services.AddHostedService(sp => sp.GetRequiredService<DashboardMetrics>());
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, CircuitCounter>();

        services.AddLocalization(options => options.ResourcesPath = "Resources");
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        return services;
    }

    /// <summary>Adds one policy per action (see <see cref="Policies"/>) and requires a login everywhere by default.</summary>
    public static Microsoft.AspNetCore.Authorization.AuthorizationBuilder AddDashboardPolicies(this Microsoft.AspNetCore.Authorization.AuthorizationBuilder builder)
    {
        foreach (var (policy, roles) in Policies.RolesByPolicy)
        {
            builder.AddPolicy(policy, p => p.RequireAuthenticatedUser().RequireRole(roles));
        }

        return builder.SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
    }

    /// <summary>
    /// Adds security headers (every response), HSTS outside Development, localization, auth, the login rate limiter,
    /// antiforgery and static assets to the pipeline and maps pages and endpoints.
    /// </summary>
    public static WebApplication MapIocDashboard(this WebApplication app)
    {
        app.UseIocSecurityHeaders();
        if (!app.Environment.IsDevelopment())
        {
            // Only sent on HTTPS responses; a browser that saw it once refuses plain HTTP to this host for a year.
            app.UseHsts();
        }

        var options = app.Services.GetRequiredService<IOptions<DashboardOptions>>().Value;
        var cultures = DashboardOptions.SupportedCultures.Select(c => new CultureInfo(c)).ToList();
        app.UseRequestLocalization(new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture(options.DefaultCulture),
            SupportedCultures = cultures,
            SupportedUICultures = cultures,
            RequestCultureProviders = [new CookieRequestCultureProvider()],
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();
        app.MapStaticAssets().AllowAnonymous();
        AccountEndpoints.Map(app);
        ExportEndpoints.Map(app);
        ReportEndpoints.Map(app);
        app.MapIocApi();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = "'none'");
        return app;
    }

    /// <summary>Pages redirect to the login (or denied) page; <c>/api</c> answers 401 or 403 with a JSON body instead.</summary>
    private static Task ApiAwareRedirect(RedirectContext<CookieAuthenticationOptions> context, int status, string error)
    {
        if (!context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.Redirect(context.RedirectUri);
            return Task.CompletedTask;
        }

        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { error });
    }

    /// <summary>429 with the login page's own message, in the request's language, and when to try again.</summary>
    private static async ValueTask LoginThrottledAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var window = http.RequestServices.GetRequiredService<IOptions<DashboardOptions>>().Value.LoginRateWindow;
        var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : window;
        http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        var message = http.RequestServices.GetRequiredService<IStringLocalizer<Components.Account.Login>>()["Error_throttled"].Value;
        http.Response.ContentType = "text/html; charset=utf-8";
        var lang = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
        await http.Response.WriteAsync(
            $"<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>429</title></head><body><main class=\"ioc-login\">" +
            $"<p role=\"alert\" data-testid=\"login-error\">{PageEncoder.Encode(message)}</p><p><a href=\"{http.Request.PathBase}/login\">Đăng nhập / Log in</a></p></main></body></html>",
            cancellationToken);
    }
}
