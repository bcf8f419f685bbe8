using Ioc.IntegrationTests.Infrastructure;

namespace Ioc.Bench;

/// <summary>
/// <c>faults [--messages N]</c>: the broker-restart faults of tests/Ioc.IntegrationTests/Faults with bigger counts, once with
/// shared subscriptions (<c>$share/ioc-collector/ioc/v1/#</c>) and once partitioned (the default), on Mosquitto 2.0.11 and
/// InfluxDB 1.6.7. A device publishes at QoS 1 and sends again until acknowledged; prints sent (acknowledged), stored,
/// lost, "no matching subscribers" and recovery seconds.
/// </summary>
internal static class FaultsBench
{
    public static async Task<int> RunAsync(int messages)
    {
        Console.WriteLine($"Ioc faults bench: {messages:N0} messages per scenario, 4 collector connections, {Environment.ProcessorCount} cores");
        foreach (var mode in new[] { "Shared", "Partitioned" })
        {
            await BrokerTerminatedAsync(mode, messages, collectorAway: false);
            await BrokerTerminatedAsync(mode, messages, collectorAway: true);
        }

        await BrokerKilledAsync(messages, autosaveSeconds: 30);
        return 0;
    }

    private static Dictionary<string, string?> Settings(InfluxDbServer influx, string database, string mode) => new()
    {
        ["Ioc:Collector:Connections"] = "4",
        ["Ioc:Collector:Subscription"] = mode,
        ["Ioc:Mqtt:ClientId"] = "faults-bench",
        // Devices come back within half a second; the collector's connections retry from 2 s.
        ["Ioc:Mqtt:ReconnectMinDelay"] = "00:00:02",
        ["Ioc:Storage:Provider"] = "InfluxDB",
        ["Ioc:Storage:InfluxDB:Url"] = influx.Url,
        ["Ioc:Storage:InfluxDB:Database"] = database,
    };

    private static async Task BrokerTerminatedAsync(string mode, int messages, bool collectorAway)
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var influx = await InfluxDbServer.StartAsync();
        var database = "faults";
        var collector = CollectorHost.ForInflux(broker.Port, influx, database, Settings(influx, database, mode));
        await collector.StartAsync();
        await using var device = await DevicePublisher.ConnectAsync(broker.Port);
        var started = DateTime.UtcNow;
        if (collectorAway)
        {
            await collector.StopAsync();
            await broker.TerminateAsync();
            await broker.RestartAsync();
            await device.PublishManyAsync(0, messages, i => Telemetry.EnvSensor(i, devices: 1000), window: 500);
            started = DateTime.UtcNow;
            collector = new CollectorHost(broker.Port, collector.Folder, Settings(influx, database, mode));
            await collector.StartAsync();
        }
        else
        {
            var publishing = device.PublishManyAsync(0, messages, i => Telemetry.EnvSensor(i, devices: 1000), window: 500);
            await Wait.UntilAsync(() => device.Acknowledged.Count >= messages / 3, TimeSpan.FromMinutes(5), "a third acknowledged");
            await broker.TerminateAsync();
            await broker.RestartAsync();
            started = DateTime.UtcNow;
            await publishing;
        }

        var (stored, recovery) = await SettleAsync(influx, database, messages);
        Console.WriteLine($"broker SIGTERM restart, collector {(collectorAway ? "away" : "connected")}, {mode}: sent {device.Acknowledged.Count:N0}, stored {stored:N0}, lost {device.Acknowledged.Count - stored:N0}, 'no matching subscribers' {device.Unmatched:N0}, recovery {Seconds(recovery, started)}");
        await collector.DisposeAsync();
    }

    private static async Task BrokerKilledAsync(int messages, int autosaveSeconds)
    {
        await using var broker = await MosquittoBroker.StartAsync(extraConfig: $"autosave_interval {autosaveSeconds}");
        await using var influx = await InfluxDbServer.StartAsync();
        const string database = "faults";
        await using var collector = CollectorHost.ForInflux(broker.Port, influx, database, Settings(influx, database, "Partitioned"));
        await collector.StartAsync();
        // Sessions and subscriptions reach the disk at the first autosave.
        await Task.Delay(TimeSpan.FromSeconds(autosaveSeconds + 2));
        await using var device = await DevicePublisher.ConnectAsync(broker.Port);
        var publishing = device.PublishManyAsync(0, messages, i => Telemetry.EnvSensor(i, devices: 1000), window: 500);
        await Wait.UntilAsync(() => device.Acknowledged.Count >= messages / 3, TimeSpan.FromMinutes(5), "a third acknowledged");
        var killedAt = DateTime.UtcNow;
        await broker.KillAsync();
        var bound = device.AcknowledgedSince(killedAt.AddSeconds(-autosaveSeconds));
        await broker.RestartAsync();
        var started = DateTime.UtcNow;
        await publishing;
        var (stored, recovery) = await SettleAsync(influx, database, messages);
        Console.WriteLine($"broker SIGKILL, autosave_interval {autosaveSeconds} s, Partitioned: sent {device.Acknowledged.Count:N0}, stored {stored:N0}, lost {device.Acknowledged.Count - stored:N0} (bound: acknowledged in the last {autosaveSeconds} s before the kill {bound:N0}), 'no matching subscribers' {device.Unmatched:N0}, recovery {Seconds(recovery, started)}");
    }

    /// <summary>Waits until every message is stored or the count stops moving for 5 s.</summary>
    private static async Task<(long Stored, DateTime? At)> SettleAsync(InfluxDbServer influx, string database, int expected)
    {
        long last = -1;
        var lastChange = DateTime.UtcNow;
        while (true)
        {
            var stored = await influx.CountAsync(database, "SELECT COUNT(seq) FROM \"env-sensor\"");
            if (stored >= expected)
            {
                return (stored, DateTime.UtcNow);
            }

            if (stored != last)
            {
                last = stored;
                lastChange = DateTime.UtcNow;
            }
            else if (DateTime.UtcNow - lastChange > TimeSpan.FromSeconds(5))
            {
                return (stored, null);
            }

            await Task.Delay(100);
        }
    }

    private static string Seconds(DateTime? at, DateTime from) =>
        at is { } t ? $"{(t - from).TotalSeconds:0.0} s" : "never (count stopped moving)";
}
