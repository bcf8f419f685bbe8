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
            builder.Configuration.AddInMemoryCollection(InProcessCredentials(builder.Configuration));
        }

        // Serve the dashboard's and its packages' static files from the build output in every environment (dotnet run
        // is Production by default); after dotnet publish they are in wwwroot and this finds no manifest.
        builder.WebHost.UseStaticWebAssets();
        builder.AddIocServiceDefaults();
        builder.Services.AddValidatedOptions<EmbeddedBrokerOptions>(builder.Configuration, EmbeddedBrokerOptions.SectionName, o => o.Validate());
        builder.Services.AddSingleton<IBrokerDeviceAuthenticator, RegistryDeviceAuthenticator>();
        builder.Services.AddSingleton<EmbeddedBrokerService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EmbeddedBrokerService>());
        // The simulated fleet's site names before the engine starts rendering alert texts.
        builder.Services.AddHostedService<FleetSiteRegistration>();
        // Alerting first: hosted services stop in reverse order, so the engine outlives the collector's drain.
        builder.Services.AddAlerting(builder.Configuration);
        SimulatedSyslogWiring.Add(builder);
        builder.AddCollector();
        // The engine runs here: the dashboard uses its commands, store reads and in-process change feed (AlertFeed).
        builder.Services.AddIocDashboard(builder.Configuration);
        builder.Services.AddSimulators(builder.Configuration);
        return builder;
    }

    /// <summary>
    /// The embedded broker refuses anonymous clients, so each in-process component gets its own account, generated
    /// at start (nothing to configure, nothing written to disk): the collector, the engine (announcer and evaluator
    /// share it: the only writer of <c>ioc/v1/_system/#</c>), the dashboard. The simulated devices connect each under
    /// its own id with a per-start device password. A component whose username is configured keeps it.
    /// </summary>
    private static Dictionary<string, string?> InProcessCredentials(IConfiguration configuration)
    {
        var values = new Dictionary<string, string?>();
        if (configuration.GetValue<bool>($"{EmbeddedBrokerOptions.SectionName}:AllowAnonymous") || !string.IsNullOrEmpty(configuration["Ioc:Mqtt:Username"]))
        {
            return values;
        }

        (string Component, string Username, BrokerRole Role)[] services =
        [
            ("Collector", "ioc-collector", BrokerRole.Collector),
            ("Alerting", "ioc-engine", BrokerRole.Engine),
            ("Evaluator", "ioc-engine", BrokerRole.Engine),
            ("Dashboard", "ioc-dashboard", BrokerRole.Dashboard),
        ];
        var passwords = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (component, username, role) in services)
        {
            if (!string.IsNullOrEmpty(configuration[$"Ioc:Mqtt:{component}:Username"]))
            {
                continue;
            }

            if (!passwords.TryGetValue(username, out var password))
            {
                password = NewSecret();
                passwords[username] = password;
                values[$"{EmbeddedBrokerOptions.SectionName}:Accounts:{username}:Password"] = password;
                values[$"{EmbeddedBrokerOptions.SectionName}:Accounts:{username}:Role"] = role.ToString();
            }

            values[$"Ioc:Mqtt:{component}:Username"] = username;
            values[$"Ioc:Mqtt:{component}:Password"] = password;
        }

        if (string.IsNullOrEmpty(configuration["Ioc:Mqtt:Simulators:Username"]))
        {
            var devicePassword = configuration[$"{EmbeddedBrokerOptions.SectionName}:DevicePassword"];
            if (string.IsNullOrEmpty(devicePassword))
            {
                devicePassword = NewSecret();
                values[$"{EmbeddedBrokerOptions.SectionName}:DevicePassword"] = devicePassword;
            }

            values["Ioc:Mqtt:Simulators:Username"] = Ioc.Simulators.Publishing.PerDeviceSink.DeviceIdUsername;
            values["Ioc:Mqtt:Simulators:Password"] = devicePassword;
        }

        return values;
    }

    private static string NewSecret() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));

    public static WebApplication MapAllInOne(this WebApplication app)
    {
        app.MapIocDashboard();
        app.MapCollectorEndpoints();
        app.Lifetime.ApplicationStarted.Register(() => StartupBanner.Print(app));
        return app;
    }
}
