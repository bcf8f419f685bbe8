using System.Diagnostics;
using Ioc.IntegrationTests.Infrastructure;
using Ioc.Storage;

namespace Ioc.IntegrationTests.Collector;

/// <summary>Publish → stored latency of normal devices, with or without one device flooding beside them.</summary>
public sealed record FloodPhase(IReadOnlyList<double> LatenciesMs, int Published, long Flooded, double Seconds)
{
    public double Percentile(double p)
    {
        if (LatenciesMs.Count == 0)
        {
            return double.NaN;
        }

        var sorted = LatenciesMs.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(sorted.Length * p) - 1)];
    }

    public double FloodRate => Flooded / Seconds;
}

/// <summary>
/// Shared by the flood test and <c>bench flood</c>: <c>normalDevices</c> UPS devices each publish once a second (spread
/// evenly over the second) with the publish time as <c>ts</c>; a poller reads the store every 20 ms and times each point from
/// its <c>ts</c> to the moment it is found. Optionally one env-sensor publishes as fast as one connection allows.
/// </summary>
public static class FloodMeasurement
{
    public const string FloodTopic = "ioc/v1/dc-tinh/env-sensor/FLOOD-01/telemetry";

    public static async Task<FloodPhase> RunAsync(int brokerPort, ITelemetryStore store, TimeSpan duration, bool flood, int normalDevices = 100, string site = "dc-tinh")
    {
        using var stop = new CancellationTokenSource();
        var flooder = flood ? FloodAsync(brokerPort, stop.Token) : Task.FromResult(0L);
        var started = DateTimeOffset.UtcNow;
        var startedMs = started.ToUnixTimeMilliseconds();
        var clock = Stopwatch.StartNew();
        var published = 0;
        var latencies = new List<double>();
        var seen = new HashSet<(string, long)>();
        var poller = Task.Run(async () =>
        {
            while (true)
            {
                var done = stop.IsCancellationRequested;
                var points = await store.QueryAsync(new PointQuery("ups", started.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(5)) { Tags = new Dictionary<string, string> { ["site"] = site }, Limit = 100_000 }, CancellationToken.None);
                var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                foreach (var point in points)
                {
                    var ts = point.TimestampNs / 1_000_000;
                    if (ts >= startedMs && seen.Add((point.GetTag("device")!, ts)))
                    {
                        latencies.Add(now - ts);
                    }
                }

                if (done && seen.Count >= Volatile.Read(ref published))
                {
                    return;
                }

                if (done && clock.Elapsed > duration + TimeSpan.FromSeconds(15))
                {
                    return;
                }

                await Task.Delay(20, CancellationToken.None);
            }
        });

        await using (var publisher = await Publisher.ConnectAsync(brokerPort))
        {
            var pending = new List<Task>();
            var period = 1_000.0 / normalDevices;
            for (var i = 0; clock.Elapsed < duration; i++)
            {
                var wait = TimeSpan.FromMilliseconds(i * period) - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }

                var ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                pending.Add(publisher.PublishAsync($"ioc/v1/{site}/ups/N-{i % normalDevices:D3}/telemetry", "{\"ts\":" + ts + ",\"metrics\":{\"load_pct\":" + (i % 100) + "}}"));
                Interlocked.Increment(ref published);
            }

            await Task.WhenAll(pending);
        }

        var seconds = clock.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        var flooded = await flooder;
        await poller;
        return new FloodPhase(latencies, published, flooded, seconds);
    }

    /// <summary>One device, one connection, QoS 1 with 1,000 in flight: as fast as the broker takes it.</summary>
    private static async Task<long> FloodAsync(int brokerPort, CancellationToken stop)
    {
        await using var publisher = await Publisher.ConnectAsync(brokerPort);
        var sent = 0L;
        var baseMs = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeMilliseconds();
        while (!stop.IsCancellationRequested)
        {
            var offset = sent;
            await publisher.PublishManyAsync(1_000, i => (FloodTopic, "{\"ts\":" + (baseMs + ((offset + i) % 500_000)) + ",\"metrics\":{\"temp_c\":21.5}}"), window: 1_000);
            sent += 1_000;
        }

        return sent;
    }
}
