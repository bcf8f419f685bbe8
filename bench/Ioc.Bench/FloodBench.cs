using Ioc.IntegrationTests.Collector;
using Ioc.IntegrationTests.Infrastructure;

namespace Ioc.Bench;

/// <summary>
/// One device flooding as fast as one connection publishes beside 100 devices at 1 msg/s: the normal devices' publish →
/// stored latency without the flood (baseline), with it and the per-device rate limit off, and with it and the limit on.
/// </summary>
internal static class FloodBench
{
    public static async Task RunAsync(int seconds, int connections)
    {
        var phase = TimeSpan.FromSeconds(seconds);
        Console.WriteLine();
        Console.WriteLine($"== flood: 100 devices at 1 msg/s, {seconds} s per phase, SQLite store, {connections} collector connection(s)");
        await using var broker = await MosquittoBroker.StartAsync();
        foreach (var limit in new[] { "0", "50" })
        {
            var settings = IngestBench.Settings(connections);
            settings["Ioc:Collector:DeviceRateLimit"] = limit;
            settings["Ioc:Collector:RateLimitGrace"] = "00:00:00";
            await using var host = CollectorHost.ForSqlite(broker.Port, settings);
            await host.StartAsync();
            var baseline = await FloodMeasurement.RunAsync(broker.Port, host.Store, phase, flood: false);
            var flooded = await FloodMeasurement.RunAsync(broker.Port, host.Store, phase, flood: true);
            Console.WriteLine($"   DeviceRateLimit {limit,2}: baseline p50 {baseline.Percentile(0.5):F0} ms p99 {baseline.Percentile(0.99):F0} ms ({baseline.LatenciesMs.Count}/{baseline.Published} stored); "
                + $"flooded p50 {flooded.Percentile(0.5):F0} ms p99 {flooded.Percentile(0.99):F0} ms ({flooded.LatenciesMs.Count}/{flooded.Published} stored), flooder {flooded.FloodRate:F0} msg/s, refused {host.Snapshot.RateLimited:N0}, p99 ratio {flooded.Percentile(0.99) / baseline.Percentile(0.99):F1}×");
        }
    }
}
