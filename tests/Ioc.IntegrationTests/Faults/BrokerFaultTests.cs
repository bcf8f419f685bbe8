using Ioc.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Ioc.IntegrationTests.Faults;

/// <summary>
/// Mosquitto 2.0.11 (the shipped broker) restarted or killed under the collector, with the collector's shipped
/// subscription settings (four connections, no shared group configured). A device publishes at QoS 1 and sends again
/// until acknowledged; every acknowledged message must be stored once.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class BrokerFaultTests(ITestOutputHelper output)
{
    private const int Count = 20_000;

    [Fact]
    public async Task BrokerTerminatedMidStream_CollectorConnected_EveryAcknowledgedMessageStoredOnce()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var influx = await InfluxDbServer.StartAsync();
        const string database = "broker_term";
        // Devices come back within half a second; the collector's connections retry from 2 s (backoff as after a longer
        // outage): the messages published in between are the ones a restart can lose.
        var settings = Shipped();
        settings["Ioc:Mqtt:ReconnectMinDelay"] = "00:00:02";
        await using var collector = CollectorHost.ForInflux(broker.Port, influx, database, settings);
        await collector.StartAsync();
        var run = new FaultRun(output, influx, database, "broker SIGTERM restart, collector connected");
        await using var device = await DevicePublisher.ConnectAsync(broker.Port);

        var publishing = device.PublishManyAsync(0, Count, i => Telemetry.EnvSensor(i));
        await Wait.UntilAsync(() => device.Acknowledged.Count >= Count / 3, TimeSpan.FromSeconds(20), "a third of the stream acknowledged");
        await broker.TerminateAsync();
        await broker.RestartAsync();
        run.FaultEnded();
        await publishing;

        var recovery = await run.WaitStoredAsync(Count, TimeSpan.FromSeconds(20));
        var figures = await run.ReportAsync(device.Acknowledged.Count, recovery, $"acknowledged as 'no matching subscribers' {device.Unmatched}, publishes sent again {device.Retries}");
        await AssertEveryAcknowledgedStoredAsync(run, device, figures);
    }

    [Fact]
    public async Task BrokerRestartedWhileCollectorAway_EveryMessagePublishedAfterTheRestartStored()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var influx = await InfluxDbServer.StartAsync();
        const string database = "broker_away";
        var collector = CollectorHost.ForInflux(broker.Port, influx, database, Shipped());
        await collector.StartAsync();
        var run = new FaultRun(output, influx, database, "broker SIGTERM restart, collector away");
        await using (var device = await DevicePublisher.ConnectAsync(broker.Port))
        {
            await device.PublishManyAsync(0, 1_000, i => Telemetry.EnvSensor(i));
        }

        Assert.NotNull(await run.WaitStoredAsync(1_000, TimeSpan.FromSeconds(20)));
        await collector.StopAsync();
        await broker.TerminateAsync();
        await broker.RestartAsync();

        // Published after the restart, before the collector is back: only the restored sessions can hold these.
        await using var after = await DevicePublisher.ConnectAsync(broker.Port);
        await after.PublishManyAsync(1_000, 5_000, i => Telemetry.EnvSensor(i));
        await using var restarted = new CollectorHost(broker.Port, collector.Folder, Shipped(influx, database));
        await restarted.StartAsync();
        run.FaultEnded();

        var recovery = await run.WaitStoredAsync(6_000, TimeSpan.FromSeconds(20));
        var figures = await run.ReportAsync(6_000, recovery, $"acknowledged as 'no matching subscribers' {after.Unmatched}");
        Assert.Equal(0, after.Unmatched);
        Assert.Equal(6_000, figures.Stored);
        Assert.Equal(6_000, figures.Distinct);
    }

    /// <summary>
    /// SIGKILL: Mosquitto keeps its state in memory and writes it every <c>autosave_interval</c> seconds (and at a clean
    /// exit). What it acknowledged and queued after the last save, and had not yet delivered, is gone; what it had delivered
    /// the collector stores anyway. So the loss is at most what the broker acknowledged in the last autosave interval
    /// before the kill. The shipped interval is 30 s; here 1 s, so that the test runs in seconds.
    /// </summary>
    [Fact]
    public async Task BrokerKilledMidStream_LosesAtMostWhatWasAcknowledgedInTheLastAutosaveInterval()
    {
        const int autosaveSeconds = 1;
        await using var broker = await MosquittoBroker.StartAsync(extraConfig: $"autosave_interval {autosaveSeconds}");
        await using var influx = await InfluxDbServer.StartAsync();
        const string database = "broker_kill";
        await using var collector = CollectorHost.ForInflux(broker.Port, influx, database, Shipped());
        await collector.StartAsync();
        // The fault is time here: let one autosave write the collector's sessions and subscriptions.
        await Task.Delay(TimeSpan.FromSeconds(autosaveSeconds * 2.5));
        var run = new FaultRun(output, influx, database, $"broker SIGKILL, autosave_interval {autosaveSeconds} s");
        await using var device = await DevicePublisher.ConnectAsync(broker.Port);

        var publishing = device.PublishManyAsync(0, Count, i => Telemetry.EnvSensor(i));
        await Wait.UntilAsync(() => device.Acknowledged.Count >= Count / 3, TimeSpan.FromSeconds(20), "a third of the stream acknowledged");
        var killedAt = DateTime.UtcNow;
        await broker.KillAsync();
        var bound = device.AcknowledgedSince(killedAt.AddSeconds(-autosaveSeconds));
        await broker.RestartAsync();
        run.FaultEnded();
        await publishing;

        var recovery = await run.WaitStoredAsync(Count, TimeSpan.FromSeconds(15));
        var figures = await run.ReportAsync(device.Acknowledged.Count, recovery);
        var stored = await run.StoredSequenceNumbersAsync();
        var lost = device.Acknowledged.Count(seq => !stored.Contains(seq));
        output.WriteLine($"lost {lost}; bound (acknowledged in the last {autosaveSeconds} s before the kill) {bound}; 'no matching subscribers' {device.Unmatched}");
        Console.WriteLine($"[faults] broker SIGKILL: lost {lost}, bound {bound}, unmatched {device.Unmatched}");
        Assert.True(lost <= bound, $"lost {lost} > bound {bound}; {figures}");
        Assert.Equal(figures.Stored, figures.Distinct);
    }

    private static async Task AssertEveryAcknowledgedStoredAsync(FaultRun run, DevicePublisher device, FaultFigures figures)
    {
        var stored = await run.StoredSequenceNumbersAsync();
        var missing = device.Acknowledged.Where(seq => !stored.Contains(seq)).Order().ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged message(s) not stored, first {string.Join(", ", missing.Take(10))}; {figures}");
        Assert.Equal(0, device.Unmatched);
        Assert.Equal(figures.Stored, figures.Distinct);
        Assert.Equal(device.Acknowledged.Count, figures.Stored);
    }

    /// <summary>The collector host's shipped subscription settings (appsettings.json: four connections, nothing else).</summary>
    internal static Dictionary<string, string?> Shipped(InfluxDbServer? influx = null, string? database = null)
    {
        var settings = new Dictionary<string, string?> { ["Ioc:Collector:Connections"] = "4" };
        if (influx is not null)
        {
            settings["Ioc:Storage:Provider"] = "InfluxDB";
            settings["Ioc:Storage:InfluxDB:Url"] = influx.Url;
            settings["Ioc:Storage:InfluxDB:Database"] = database;
            settings["Ioc:Storage:InfluxDB:Timeout"] = "00:00:02";
            settings["Ioc:Storage:InfluxDB:MaxAttempts"] = "2";
        }

        return settings;
    }
}
