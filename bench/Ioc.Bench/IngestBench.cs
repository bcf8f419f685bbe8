using System.Diagnostics;
using Ioc.IntegrationTests.Infrastructure;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Ioc.Bench;

/// <summary>
/// Drain throughput: N messages wait in the persistent sessions of a shared-subscription group on Mosquitto,
/// then the consumer connects and we time until the last is handled. First a bare MQTTnet group that only
/// acknowledges (the broker's own drain rate to that many connections), then the collector, storing every message.
/// </summary>
internal static class IngestBench
{
    public static async Task<(double Rate, double CpuUs)> RunAsync(string storeName, int messages, int connections, int runs)
    {
        Console.WriteLine();
        Console.WriteLine($"== ingest into {storeName}: {messages:N0} QoS 1 messages drained from Mosquitto over {connections} connection(s)");
        var raw = new List<double>();
        var collector = new List<double>();
        var collectorCpu = new List<double>();
        // Run 0 warms the JIT (a production collector runs for days); runs 1..N are measured.
        for (var run = 0; run <= runs; run++)
        {
            await using var broker = await MosquittoBroker.StartAsync();
            await using var influx = storeName == "influxdb" ? await InfluxDbServer.StartAsync() : null;

            var rawRate = await RawDrainAsync(broker.Port, messages, connections);
            if (run > 0)
            {
                raw.Add(rawRate);
            }


            var host = influx is null
                ? CollectorHost.ForSqlite(broker.Port, Settings(connections))
                : CollectorHost.ForInflux(broker.Port, influx, "bench", Settings(connections));
            await host.StartAsync();
            await host.StopAsync();
            await PublishAsync(broker.Port, messages, run);
            var restarted = new CollectorHost(broker.Port, host.Folder, influx is null ? Settings(connections) : InfluxSettings(influx, connections));
            var starting = restarted.StartAsync();
            // Time the drain itself, from the first message in, not the host's start-up.
            await Wait.UntilAsync(() => restarted.IsBuilt && restarted.Snapshot.Received > 0, TimeSpan.FromSeconds(30), "first message");
            var started = Stopwatch.GetTimestamp();
            var processes = new List<(string, int)> { ("collector", Environment.ProcessId), ("broker", ProcessCpu.ChildNamed("mosquitto") ?? 0) };
            if (influx is not null)
            {
                processes.Add(("influxd", ProcessCpu.ChildNamed("influxd") ?? 0));
            }

            var window = CpuWindow.Start([.. processes]);
            await starting;
            using (var progress = new Timer(_ => Console.WriteLine($"     … {System.Text.Json.JsonSerializer.Serialize(restarted.Snapshot)}"), null, 5000, 5000))
            {
                await Wait.UntilAsync(() => restarted.Snapshot.PointsWritten >= messages, TimeSpan.FromMinutes(2), "collector drained");
            }

            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var cpu = window.PerMessage(messages);
            if (run > 0)
            {
                collector.Add(messages / seconds);
                collectorCpu.Add(cpu["collector"]);
            }

            var stored = await restarted.Store.CountAsync(new Ioc.Storage.PointQuery("env-sensor", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1)), CancellationToken.None);
            Console.WriteLine($"   {(run == 0 ? "warm-up" : $"run {run}")}: broker drain to bare MQTTnet group {rawRate,9:N0} msg/s | collector into {storeName} {messages / seconds,9:N0} msg/s ({seconds:F2} s; {stored:N0} points queryable; write p99 {restarted.Snapshot.WriteLatencyP99Ms} ms); CPU-µs/msg: {string.Join(", ", cpu.Select(c => $"{c.Key} {c.Value:F1}"))}");
            if (stored != messages)
            {
                throw new InvalidOperationException($"expected {messages} stored points, found {stored}");
            }

            await restarted.DisposeAsync();
        }

        var rawMedian = BenchCommand.Median(raw);
        var collectorMedian = BenchCommand.Median(collector);
        Console.WriteLine($"   median: broker drain {rawMedian:N0} msg/s; collector {collectorMedian:N0} msg/s into {storeName} = {collectorMedian / rawMedian:P0} of the broker's drain rate; collector {BenchCommand.Median(collectorCpu):F1} CPU-µs per stored message (the bench process: collector in-process)");
        return (collectorMedian, BenchCommand.Median(collectorCpu));
    }

    internal static Dictionary<string, string?> Settings(int connections)
    {
        var settings = BaseSettings(connections);
        foreach (var (key, value) in PeerBench.Overrides)
        {
            settings[key] = value;
        }

        return settings;
    }

    private static Dictionary<string, string?> BaseSettings(int connections) => new()
    {
        ["Ioc:Collector:Connections"] = connections.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Ioc:Mqtt:ClientId"] = "bench-collector",
        ["Ioc:Collector:BatchInterval"] = "00:00:00.200",
        // Every bench message is env-sensor telemetry: partitioned by type and channel it would all go to one connection.
        ["Ioc:Collector:Subscription"] = "Shared",
        // Bench devices are never registered; admission has its own tests (the host processes set this too).
        ["Ioc:Devices:AutoRegister"] = "true",
    };

    internal static Dictionary<string, string?> InfluxSettings(InfluxDbServer influx, int connections) => new(Settings(connections))
    {
        ["Ioc:Storage:Provider"] = "InfluxDB",
        ["Ioc:Storage:InfluxDB:Url"] = influx.Url,
        ["Ioc:Storage:InfluxDB:Database"] = "bench",
    };

    /// <summary>Publishes from 4 concurrent MQTTnet clients; devices and timestamps unique per message.</summary>
    internal static async Task PublishAsync(int port, int messages, int run)
    {
        const int publishers = 4;
        var per = messages / publishers;
        await Task.WhenAll(Enumerable.Range(0, publishers).Select(async p =>
        {
            await using var publisher = await Publisher.ConnectAsync(port);
            var offset = p * per;
            var count = p == publishers - 1 ? messages - offset : per;
            await publisher.PublishManyAsync(count, i => Telemetry.EnvSensor(offset + i, devices: 1000), window: 1000);
        }));
    }

    private static async Task<double> RawDrainAsync(int port, int messages, int connections)
    {
        var clients = new List<IMqttClient>();
        var received = 0L;
        var options = Enumerable.Range(0, connections).Select(i => new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port).WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId($"raw-{i}").WithCleanStart(false).WithSessionExpiryInterval(3600).WithReceiveMaximum(10_000).Build()).ToList();
        foreach (var option in options)
        {
            var client = new MqttClientFactory().CreateMqttClient();
            client.ApplicationMessageReceivedAsync += _ =>
            {
                Interlocked.Increment(ref received);
                return Task.CompletedTask;
            };
            await client.ConnectAsync(option);
            await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter("$share/raw/ioc/v1/#", MqttQualityOfServiceLevel.AtLeastOnce).Build());
            await client.DisconnectAsync();
            clients.Add(client);
        }

        await PublishAsync(port, messages, 0);
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(clients.Select((c, i) => c.ConnectAsync(options[i])));
        await Wait.UntilAsync(() => Interlocked.Read(ref received) >= messages, TimeSpan.FromMinutes(5), "raw drain");
        var rate = messages / Stopwatch.GetElapsedTime(started).TotalSeconds;
        foreach (var client in clients)
        {
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build());
            client.Dispose();
        }

        return rate;
    }
}
