using Ioc.Alerting.Hosting;
using Ioc.AllInOne.Broker;
using Ioc.Collector;
using Ioc.Dashboard;
using Ioc.Simulators.Hosting;
using Ioc.ServiceDefaults;

namespace Ioc.AllInOne;

public static class AllInOneExtensions
{
    /// <summary>
    /// Embedded broker first (starts first, stops last), then the collector with the alert engine on the embedded
    /// SQLite store, the dashboard, and the simulated province. Every MQTT client in the process talks to the
    /// embedded broker through <c>Ioc:Mqtt</c>.
    /// </summary>
    public static WebApplicationBuilder AddAllInOne(this WebApplicationBuilder builder)
    {
        var broker = builder.Configuration.GetSection(EmbeddedBrokerOptions.SectionName).Get<EmbeddedBrokerOptions>() ?? new EmbeddedBrokerOptions();
        if (broker.Enabled)
        {
            // Every client in the process (collector, announcer, dashboard feed, simulators) reads Ioc:Mqtt: one place.
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Ioc:Mqtt:Host"] = broker.BindAddress,
                ["Ioc:Mqtt:Port"] = broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                // The dashboard in this process hears new alerts from the engine's announcements on the embedded broker.
                ["Ioc:Alerting:Announcements:Enabled"] = "true",
            });
        }

        // Serve the dashboard's and its packages' static files from the build output in every environment (dotnet run
        // is Production by default); after dotnet publish they are in wwwroot and this finds no manifest.
        builder.WebHost.UseStaticWebAssets();
        builder.AddIocServiceDefaults();
        builder.Services.AddValidatedOptions<EmbeddedBrokerOptions>(builder.Configuration, EmbeddedBrokerOptions.SectionName, o => o.Validate());
        builder.Services.AddSingleton<EmbeddedBrokerService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EmbeddedBrokerService>());
        // Alerting first: hosted services stop in reverse order, so the engine outlives the collector's drain.
        builder.Services.AddAlerting(builder.Configuration);
        builder.AddCollector();
        // The engine runs here: the dashboard uses its commands, store reads and in-process change feed (AlertFeed).
        builder.Services.AddIocDashboard(builder.Configuration);
        builder.Services.AddSimulators(builder.Configuration);
        return builder;
    }

    public static WebApplication MapAllInOne(this WebApplication app)
    {
        app.MapIocDashboard();
        app.MapCollectorEndpoints();
        app.Lifetime.ApplicationStarted.Register(() => StartupBanner.Print(app));
        return app;
    }
}
