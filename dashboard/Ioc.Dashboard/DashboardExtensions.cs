using System.Globalization;
using Ioc.Storage;
using Ioc.Storage.Sqlite;
using Ioc.Dashboard.Alerts;
using Ioc.Dashboard.Components;
using Ioc.Dashboard.Configuration;
using Ioc.Dashboard.Data;
using Ioc.Dashboard.Live;
using Ioc.Dashboard.Security;
using Ioc.Mqtt.Hosting;
using Ioc.ServiceDefaults;
using Ioc.Contract.Alerts;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
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
        services.AddOptions<DataCenterOptions>().Bind(configuration.GetSection(DataCenterOptions.SectionName));
        services.AddMqttConnection(configuration, MqttLiveFeed.MqttComponent);
        services.TryAddSingleton(TimeProvider.System);
        // The same stores as the collector's (kept if the host registered them already).
        services.AddIocStorage(configuration);
        services.AddOperationalStore(configuration);

        services.AddSingleton<DashboardClock>();
        services.AddSingleton<UserStore>();
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
        services.AddSingleton<FleetView>();
        services.AddSingleton<TelemetryHistory>();
        services.AddSingleton<UptimeService>();
        services.AddSingleton<OverviewService>();
        services.AddScoped<AlertAccess>();

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = "ioc.auth";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Strict;
                options.LoginPath = "/login";
                options.LogoutPath = "/account/logout";
                options.AccessDeniedPath = "/denied";
                options.SlidingExpiration = true;
                options.Events.OnValidatePrincipal = StampValidator.ValidateAsync;
            });
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<DashboardOptions>>((cookie, dashboard) => cookie.ExpireTimeSpan = dashboard.Value.SessionLifetime);
        services.AddAuthorizationBuilder().AddDashboardPolicies();
        services.AddCascadingAuthenticationState();
        services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, StampRevalidatingStateProvider>();
        services.AddAntiforgery();

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

    /// <summary>Adds localization, auth, antiforgery and static assets to the pipeline and maps pages and endpoints.</summary>
    public static WebApplication MapIocDashboard(this WebApplication app)
    {
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
        app.UseAntiforgery();
        app.MapStaticAssets().AllowAnonymous();
        AccountEndpoints.Map(app);
        ExportEndpoints.Map(app);
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
