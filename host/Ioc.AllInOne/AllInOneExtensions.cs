using Ioc.AllInOne.Broker;
using Ioc.Collector;
using Ioc.ServiceDefaults;

namespace Ioc.AllInOne;

public static class AllInOneExtensions
{
    /// <summary>Embedded broker first (starts first, stops last), then the collector on the embedded SQLite store.</summary>
    public static WebApplicationBuilder AddAllInOne(this WebApplicationBuilder builder)
    {
        builder.AddIocServiceDefaults();
        builder.Services.AddValidatedOptions<EmbeddedBrokerOptions>(builder.Configuration, EmbeddedBrokerOptions.SectionName, o => o.Validate());
        builder.Services.AddSingleton<EmbeddedBrokerService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EmbeddedBrokerService>());
        builder.AddCollector();
        return builder;
    }

    public static WebApplication MapAllInOne(this WebApplication app)
    {
        app.MapCollectorEndpoints();
        app.Lifetime.ApplicationStarted.Register(() => StartupBanner.Print(app));
        return app;
    }
}
