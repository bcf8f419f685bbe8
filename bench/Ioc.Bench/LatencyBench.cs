using System.Diagnostics;
using Ioc.Storage;
using Ioc.IntegrationTests.Infrastructure;

namespace Ioc.Bench;

/// <summary>Publish → queryable: probe messages under steady background load, each timed until the store answers it.</summary>
internal static class LatencyBench
{
    public static async Task<double> RunAsync(string storeName, int connections, int backgroundRate = 10_000, int probes = 200)
    {
        Console.WriteLine();
        Console.WriteLine($"== publish → queryable in {storeName}: {probes} probes under {backgroundRate:N0} msg/s of background load");
        await using var broker = await MosquittoBroker.StartAsync();
        await using var influx = storeName == "influxdb" ? await InfluxDbServer.StartAsync() : null;
        await using var host = influx is null
            ? CollectorHost.ForSqlite(broker.Port, IngestBench.Settings(connections))
            : CollectorHost.ForInflux(broker.Port, influx, "bench", IngestBench.Settings(connections));
        await host.StartAsync();
        using var stop = new CancellationTokenSource();
        var background = BackgroundLoad.RunAsync(broker.Port, backgroundRate, (i, _) => Telemetry.EnvSensor((int)i, devices: 1000), stop.Token);
        await using var prober = await Publisher.ConnectAsync(broker.Port);
        var latencies = new List<double>();
        for (var i = 0; i < probes; i++)
        {
            var device = $"PROBE-{i}";
            var now = DateTimeOffset.UtcNow;
            var started = Stopwatch.GetTimestamp();
            await prober.PublishAsync($"ioc/v1/dc-tinh/ups/{device}/telemetry", $$$"""{"ts":{{{now.ToUnixTimeMilliseconds()}}},"metrics":{"load_pct":{{{i}}}}}""");
            var query = new PointQuery("ups", now.AddSeconds(-1), now.AddSeconds(1)) { Tags = new Dictionary<string, string> { ["device"] = device } };
            while (await host.Store.CountAsync(query, CancellationToken.None) == 0)
            {
                await Task.Delay(5);
            }

            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        await stop.CancelAsync();
        var (sent, _) = await background;
        var p99 = BenchCommand.Percentile(latencies, 0.99);
        Console.WriteLine($"   p50 {BenchCommand.Percentile(latencies, 0.5):F0} ms, p99 {p99:F0} ms, max {latencies.Max():F0} ms (background published {sent:N0})");
        return p99;
    }
}
