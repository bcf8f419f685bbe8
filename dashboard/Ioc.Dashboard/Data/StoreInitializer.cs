using Ioc.Storage;
using Microsoft.Extensions.Hosting;

namespace Ioc.Dashboard.Data;

/// <summary>Makes sure the stores' schemas exist when the dashboard runs alone (the collector does the same; both are idempotent).</summary>
internal sealed class StoreInitializer(ITelemetryStore telemetry, IDeadLetterStore deadLetters) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await deadLetters.InitializeAsync(cancellationToken);
        try
        {
            await telemetry.InitializeAsync(cancellationToken);
        }
        catch (StoreUnavailableException)
        {
            // InfluxDB may come up after the dashboard; pages report the store's errors when they query.
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
