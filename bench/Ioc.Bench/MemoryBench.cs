using System.Diagnostics;
using Ioc.IntegrationTests.Infrastructure;

namespace Ioc.Bench;

/// <summary>Collector memory with traffic from N distinct devices (three channels each), after a full GC.</summary>
internal static class MemoryBench
{
    public static async Task RunAsync(int devices, int connections)
    {
        Console.WriteLine();
        Console.WriteLine($"== memory: {devices:N0} devices, telemetry + status + event each, SQLite store");
        await using var broker = await MosquittoBroker.StartAsync();
        await using var host = CollectorHost.ForSqlite(broker.Port, IngestBench.Settings(connections));
        var before = Measure();
        await host.StartAsync();
        var idle = Measure();
        await using (var publisher = await Publisher.ConnectAsync(broker.Port))
        {
            var ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await publisher.PublishManyAsync(devices * 3, i =>
            {
                var device = $"AP-{i / 3:D6}";
                var site = $"commune-{i / 3 % 235}";
                return (i % 3) switch
                {
                    0 => ($"ioc/v1/{site}/wifi-ap/{device}/telemetry", $$$"""{"ts":{{{ts + i}}},"metrics":{"clients":{{{i % 50}}},"rx_bytes":{{{i * 1000}}},"tx_bytes":{{{i * 800}}},"cpu_pct":12.5}}"""),
                    1 => ($"ioc/v1/{site}/wifi-ap/{device}/status", $$$"""{"ts":{{{ts + i}}},"state":"online"}"""),
                    _ => ($"ioc/v1/{site}/wifi-ap/{device}/event", $$$"""{"ts":{{{ts + i}}},"type":"client_join","severity":"info","message":"client joined","attrs":{"mac":"aa:bb:cc:dd:ee:{{{i % 256:x2}}}"}}"""),
                };
            }, window: 1000);
        }

        await Wait.UntilAsync(() => host.Snapshot.PointsWritten >= devices * 3, TimeSpan.FromMinutes(2), "all device messages stored");
        var loaded = Measure();
        Console.WriteLine($"   managed heap: before start {before.Heap:F1} MB, idle {idle.Heap:F1} MB, after {devices:N0} devices {loaded.Heap:F1} MB");
        Console.WriteLine($"   process working set (bench process, includes publisher and broker clients): idle {idle.WorkingSet:F1} MB, loaded {loaded.WorkingSet:F1} MB");
        Console.WriteLine($"   collector growth for {devices:N0} devices: {loaded.Heap - idle.Heap:F1} MB managed, {loaded.WorkingSet - idle.WorkingSet:F1} MB working set");
    }

    private static (double Heap, double WorkingSet) Measure()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        return (GC.GetTotalMemory(true) / 1048576.0, process.WorkingSet64 / 1048576.0);
    }
}
