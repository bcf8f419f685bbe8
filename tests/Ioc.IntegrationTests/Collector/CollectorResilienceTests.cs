using Ioc.IntegrationTests.Infrastructure;

namespace Ioc.IntegrationTests.Collector;

/// <summary>No data loss when the collector or the database goes away mid-stream.</summary>
public sealed class CollectorResilienceTests
{
    private const int Count = 6_000;

    [Fact]
    public async Task CollectorRestartedMidStream_LosesNoMessage()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var influx = await InfluxDbServer.StartAsync();
        const string database = "restart";
        var collector = CollectorHost.ForInflux(broker.Port, influx, database);
        await collector.StartAsync();
        await using var publisher = await Publisher.ConnectAsync(broker.Port);

        var publishing = publisher.PublishManyAsync(Count, i => Telemetry.EnvSensor(i), window: 100);
        await Wait.UntilAsync(() => collector.Snapshot.Accepted >= Count / 5, TimeSpan.FromSeconds(20), "a fifth of the stream received");
        await collector.StopAsync();
        var restarted = new CollectorHost(broker.Port, collector.Folder, Overrides(influx, database));
        await publishing;
        await restarted.StartAsync();

        await Wait.UntilAsync(async () => await influx.CountAsync(database, "SELECT COUNT(seq) FROM \"env-sensor\"") >= Count, TimeSpan.FromSeconds(30), "every message stored");
        Assert.Equal(Count, await influx.CountAsync(database, "SELECT COUNT(seq) FROM \"env-sensor\""));
        Assert.Equal(Count, await influx.CountAsync(database, "SELECT COUNT(DISTINCT(seq)) FROM \"env-sensor\""));
        await restarted.DisposeAsync();
    }

    [Fact]
    public async Task InfluxDbStoppedMidStream_SpoolsThenReplaysEveryMessageExactlyOnce()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var influx = await InfluxDbServer.StartAsync();
        const string database = "outage";
        await using var collector = CollectorHost.ForInflux(broker.Port, influx, database);
        await collector.StartAsync();
        await using var publisher = await Publisher.ConnectAsync(broker.Port);

        await publisher.PublishManyAsync(Count / 3, i => Telemetry.EnvSensor(i));
        await Wait.UntilAsync(() => collector.Snapshot.PointsWritten >= Count / 3, TimeSpan.FromSeconds(20), "first third written");
        await influx.StopAsync();
        await publisher.PublishManyAsync(Count / 3, i => Telemetry.EnvSensor(i + Count / 3));
        await Wait.UntilAsync(() => collector.Snapshot.PointsSpooled >= Count / 3, TimeSpan.FromSeconds(30), "second third spooled");
        Assert.False(collector.Snapshot.StoreUp);
        Assert.Equal("Degraded", collector.Snapshot.Status);
        Assert.True(collector.Snapshot.SpoolSegments > 0);

        await influx.RestartAsync();
        await publisher.PublishManyAsync(Count / 3, i => Telemetry.EnvSensor(i + 2 * Count / 3));

        await Wait.UntilAsync(async () => await influx.CountAsync(database, "SELECT COUNT(seq) FROM \"env-sensor\"") >= Count, TimeSpan.FromSeconds(40), "every message stored after recovery");
        await Wait.UntilAsync(() => collector.Snapshot.SpoolSegments == 0 && collector.Snapshot.StoreUp, TimeSpan.FromSeconds(10), "spool drained");
        Assert.Equal(Count, await influx.CountAsync(database, "SELECT COUNT(seq) FROM \"env-sensor\""));
        Assert.Equal(Count, await influx.CountAsync(database, "SELECT COUNT(DISTINCT(seq)) FROM \"env-sensor\""));
    }

    [Fact]
    public async Task SpooledBatches_SurviveACollectorRestart()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var influx = await InfluxDbServer.StartAsync();
        const string database = "spoolrestart";
        var collector = CollectorHost.ForInflux(broker.Port, influx, database);
        await collector.StartAsync();
        await influx.StopAsync();
        await using (var publisher = await Publisher.ConnectAsync(broker.Port))
        {
            await publisher.PublishManyAsync(1_000, i => Telemetry.EnvSensor(i));
        }

        await Wait.UntilAsync(() => collector.Snapshot.PointsSpooled == 1_000, TimeSpan.FromSeconds(30), "everything spooled");
        await collector.StopAsync();
        await influx.RestartAsync();
        await using var restarted = new CollectorHost(broker.Port, collector.Folder, Overrides(influx, database));
        await restarted.StartAsync();

        await Wait.UntilAsync(async () => await influx.CountAsync(database, "SELECT COUNT(seq) FROM \"env-sensor\"") == 1_000, TimeSpan.FromSeconds(30), "spool replayed after restart");
        // The replayer counts a segment after its write returned and the file is gone: wait for that, not just the data.
        await Wait.UntilAsync(() => restarted.Snapshot.PointsReplayed == 1_000 && restarted.Snapshot.SpoolSegments == 0, TimeSpan.FromSeconds(10), "spool replayed and emptied");
        // A few acknowledgements may still be in flight at the stop, so the broker may deliver those messages again;
        // they are stored over themselves (same series and time): the count stays exact.
        Assert.Equal(1_000, await influx.CountAsync(database, "SELECT COUNT(DISTINCT(seq)) FROM \"env-sensor\""));
        await Wait.UntilAsync(() => restarted.Snapshot.QueueDepth == 0 && restarted.Snapshot.Accepted == restarted.Snapshot.Received, TimeSpan.FromSeconds(10), "redeliveries handled");
        Assert.Equal(1_000, await influx.CountAsync(database, "SELECT COUNT(seq) FROM \"env-sensor\""));
    }

    private static Dictionary<string, string?> Overrides(InfluxDbServer influx, string database) => new()
    {
        ["Ioc:Storage:Provider"] = "InfluxDB",
        ["Ioc:Storage:InfluxDB:Url"] = influx.Url,
        ["Ioc:Storage:InfluxDB:Database"] = database,
        ["Ioc:Storage:InfluxDB:Timeout"] = "00:00:02",
        ["Ioc:Storage:InfluxDB:MaxAttempts"] = "2",
    };
}
