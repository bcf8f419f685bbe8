using Ioc.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Ioc.IntegrationTests.Faults;

/// <summary>InfluxDB stopped, frozen (SIGSTOP) or answering 500 mid-stream: the collector spools, replays, and stores every message once.</summary>
[Collection(FaultCollection.Name)]
public sealed class InfluxFaultTests(ITestOutputHelper output)
{
    private const int Count = 15_000;

    [Fact]
    public async Task InfluxDbKilledForThreeSeconds_EveryMessageStoredOnce()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var influx = await InfluxDbServer.StartAsync();
        await using var collector = CollectorHost.ForInflux(broker.Port, influx, "influx_kill");
        await collector.StartAsync();
        var run = new FaultRun(output, influx, "influx_kill", "InfluxDB SIGKILL for 3 s, restarted");

        await RunAsync(broker, run, collector, async () =>
        {
            await influx.StopAsync();
            await Task.Delay(TimeSpan.FromSeconds(3));
            await influx.RestartAsync();
        });
    }

    [Fact]
    public async Task InfluxDbFrozenForTenSeconds_EveryMessageStoredOnce()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var influx = await InfluxDbServer.StartAsync();
        await using var collector = CollectorHost.ForInflux(broker.Port, influx, "influx_freeze");
        await collector.StartAsync();
        var run = new FaultRun(output, influx, "influx_freeze", "InfluxDB SIGSTOP for 10 s, then SIGCONT");

        await RunAsync(broker, run, collector, async () =>
        {
            await influx.FreezeAsync();
            await Task.Delay(TimeSpan.FromSeconds(10));
            await influx.ThawAsync();
        });
    }

    [Fact]
    public async Task InfluxDbAnswering500ForFiveSeconds_EveryMessageStoredOnce()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var influx = await InfluxDbServer.StartAsync();
        await using var proxy = FailingProxy.Start(influx.Url);
        await using var collector = CollectorHost.ForInflux(broker.Port, influx, "influx_500", new Dictionary<string, string?> { ["Ioc:Storage:InfluxDB:Url"] = proxy.Url });
        await collector.StartAsync();
        var run = new FaultRun(output, influx, "influx_500", "InfluxDB answering 500 to /write for 5 s");

        await RunAsync(broker, run, collector, async () =>
        {
            proxy.Failing = true;
            await Task.Delay(TimeSpan.FromSeconds(5));
            proxy.Failing = false;
        });
        Assert.True(proxy.Refused > 0, "the proxy refused no write: the fault was not exercised");
    }

    /// <summary>Publishes the stream, injects the fault once a quarter is stored, and checks that every message is stored once.</summary>
    private static async Task RunAsync(MosquittoBroker broker, FaultRun run, CollectorHost collector, Func<Task> fault)
    {
        await using var device = await DevicePublisher.ConnectAsync(broker.Port);
        var publishing = device.PublishManyAsync(0, Count, i => Telemetry.EnvSensor(i));
        await Wait.UntilAsync(async () => await run.StoredAsync() >= Count / 4, TimeSpan.FromSeconds(20), "a quarter of the stream stored");
        await fault();
        run.FaultEnded();
        await publishing;

        var recovery = await run.WaitStoredAsync(Count, TimeSpan.FromSeconds(30));
        await Wait.UntilAsync(() => collector.Snapshot.SpoolSegments == 0, TimeSpan.FromSeconds(10), "spool empty");
        var snapshot = collector.Snapshot;
        var figures = await run.ReportAsync(Count, recovery, $"points written {snapshot.PointsWritten}, spooled {snapshot.PointsSpooled}, replayed {snapshot.PointsReplayed}");
        Assert.Equal(Count, figures.Stored);
        Assert.Equal(Count, figures.Distinct);
    }
}
