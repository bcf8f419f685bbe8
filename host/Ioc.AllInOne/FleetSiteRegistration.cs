using Ioc.Simulators.Fleet;
using Ioc.Simulators.Hosting;
using Ioc.Storage.Operational;
using Microsoft.Extensions.Options;

namespace Ioc.AllInOne;

/// <summary>
/// Registers the simulated fleet's sites with their names (<see cref="FleetSites"/>) in the site registry at start, before
/// the engine and the simulators start: alert texts and the dashboard name every site in words from the first message.
/// Does nothing when the simulators are off (<c>Ioc:Simulators:Enabled=false</c>): sites then come from <c>sites import</c>.
/// </summary>
internal sealed partial class FleetSiteRegistration(IOperationalStore store, IServiceProvider services, TimeProvider time, ILogger<FleetSiteRegistration> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<IOptions<SimulatorOptions>>() is not { Value.Enabled: true } || services.GetService<SimulationSession>() is not { } session)
        {
            return;
        }

        await store.MigrateAsync(cancellationToken);
        var sites = FleetSites.Names(session.Fleet).Select(s => new SiteRecord(s.Slug, s.NameVi, s.NameEn, s.District, s.Kind)).ToList();
        var written = await store.Sites.UpsertAsync(sites, time.GetUtcNow(), cancellationToken);
        LogRegistered(logger, written);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered {Count} sites of the simulated fleet with their names")]
    private static partial void LogRegistered(ILogger logger, int count);
}
