using System.Diagnostics;
using Ioc.Contract;
using Ioc.Mqtt;
using Ioc.Simulators.Generation;
using Ioc.Simulators.Publishing;
using Ioc.Simulators.Scenarios;
using Ioc.Simulators.Tests.Shared;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ioc.Simulators.Tests.Publishing;

/// <summary>Against real brokers (embedded MQTTnet for rates, Mosquitto for wills).</summary>
[Collection(BrokerCollection.Name)]
public sealed class BrokerPublishingTests
{
    [Theory]
    [InlineData(500)]
    [InlineData(3000)]
    public async Task RunAsync_Backlog_BrokerReceivesWithinFivePercentOfRate(double rate)
    {
        // Arrange: an hour of backlog, so the token bucket is the only brake.
        await using var broker = await TestBroker.StartAsync();
        var fleet = TestFleets.Default;
        var generator = new MessageGenerator(fleet, new SimulationSettings { Seed = 42, Start = DateTimeOffset.UtcNow.AddHours(-1) });
        await using var sink = new MultiplexedSink(new MqttConnectionOptions { Port = broker.Port, ClientId = "rate" }, connections: 4);
        await sink.StartAsync(CancellationToken.None);
        var runner = new SimulationRunner(generator, sink, new SimulatorStats(), TimeProvider.System, rate, NullLogger.Instance);

        // Act
        await runner.RunAsync(new RunLimits(Duration: TimeSpan.FromSeconds(6)), CancellationToken.None);

        // Assert: arrivals in the steady window [2 s, 5 s] after the first (past JIT and connection warm-up).
        var stamps = broker.Received.Select(r => r.Timestamp).Order().ToList();
        var first = stamps[0];
        var from = first + (2 * Stopwatch.Frequency);
        var to = first + (5 * Stopwatch.Frequency);
        var measured = stamps.Count(t => t >= from && t < to) / 3.0;
        Assert.True(measured >= rate * 0.95 && measured <= rate * 1.05, $"asked {rate}/s, measured {measured:0.0}/s over 3 s ({stamps.Count} received); per 250 ms: {string.Join(" ", stamps.GroupBy(t => (t - first) * 4 / Stopwatch.Frequency).Select(g => g.Count()))}");
    }

    [Fact]
    public async Task RunAsync_PerDeviceFibreCut_BrokerPublishesRealLastWill()
    {
        // Arrange: a small fleet, one connection per device, the cut's will moment already in the past.
        await using var broker = await TestMosquitto.StartAsync();
        var fleet = SmallFleet.Create();
        var start = DateTimeOffset.UtcNow.AddSeconds(-100);
        var cut = (DistrictFibreCutScenario)ScenarioCatalog.Create(ScenarioSpec.Parse("district-fibre-cut,district=tu-ky,duration=10m"), fleet, start, 42);
        var generator = new MessageGenerator(fleet, new SimulationSettings { Seed = 42, Start = start }, new ScenarioTimeline([cut]));
        var stats = new SimulatorStats();
        stats.Reset(fleet.Devices.Count);
        await using var sink = new PerDeviceSink(fleet, new MqttConnectionOptions { Port = broker.Port, ClientId = "will" });
        await sink.StartAsync(CancellationToken.None);
        var connected = sink.Connections;
        var log = new TestLogger();
        var runner = new SimulationRunner(generator, sink, stats, TimeProvider.System, 0, log);

        // Act
        await runner.RunAsync(new RunLimits(Duration: TimeSpan.FromSeconds(2)), CancellationToken.None);
        var (observer, received) = await broker.SubscribeAsync("ioc/v1/+/+/+/status");

        // Assert
        Assert.Equal(fleet.Devices.Count, connected);
        var victims = cut.AffectedDevices.Select(d => d.Address.Topic(MessageChannel.Status)).ToHashSet();
        await TestBroker.WaitUntilAsync(() => Task.FromResult(received.Count >= fleet.Devices.Count), TimeSpan.FromSeconds(5), "every retained status");
        var retained = received.ToDictionary(r => r.Topic, r => r.Payload);
        Assert.All(victims, topic => Assert.Equal("""{"state":"offline"}""", retained[topic]));
        Assert.All(retained.Where(r => !victims.Contains(r.Key)), r => Assert.Contains("\"online\"", r.Value, StringComparison.Ordinal));
        Assert.Equal(fleet.Devices.Count - victims.Count, sink.Connections);
        var snapshot = stats.Snapshot();
        Assert.True(snapshot.Failed == 0, log.ToString());
        Assert.Equal(fleet.Devices.Count - victims.Count, snapshot.DevicesOnline);
        await observer.DisconnectAsync(new MQTTnet.MqttClientDisconnectOptions(), CancellationToken.None);
        observer.Dispose();
    }

    [Fact]
    public async Task RunAsync_PerDeviceFibreCutEnded_WillThenOnlineAgainOnMosquitto()
    {
        // Arrange: the cut is over 100 s into a 110 s backlog, so the will and the recovery both happen in the run.
        await using var broker = await TestMosquitto.StartAsync();
        var (observer, received) = await broker.SubscribeAsync("ioc/v1/+/+/+/status");
        var fleet = SmallFleet.Create();
        var start = DateTimeOffset.UtcNow.AddSeconds(-110);
        var cut = (DistrictFibreCutScenario)ScenarioCatalog.Create(ScenarioSpec.Parse("district-fibre-cut,district=tu-ky,duration=100s"), fleet, start, 42);
        var generator = new MessageGenerator(fleet, new SimulationSettings { Seed = 42, Start = start }, new ScenarioTimeline([cut]));
        var victim = cut.AffectedDevices[0].Address.Topic(MessageChannel.Status);
        await using var sink = new PerDeviceSink(fleet, new MqttConnectionOptions { Port = broker.Port, ClientId = "will2" });
        await sink.StartAsync(CancellationToken.None);
        var log = new TestLogger();
        var runner = new SimulationRunner(generator, sink, new SimulatorStats(), TimeProvider.System, 0, log);

        // Act
        await runner.RunAsync(new RunLimits(Duration: TimeSpan.FromSeconds(2)), CancellationToken.None);
        await TestBroker.WaitUntilAsync(() => Task.FromResult(received.Count(r => r.Topic == victim) >= 2), TimeSpan.FromSeconds(5), "will, then online");

        // Assert: the broker itself published the will, then the device came back.
        var victimMessages = received.Where(r => r.Topic == victim).Select(r => r.Payload).ToList();
        var will = victimMessages.IndexOf("""{"state":"offline"}""");
        Assert.True(will >= 0 && will < victimMessages.Count - 1 && victimMessages[^1].Contains("\"online\"", StringComparison.Ordinal), string.Join(" , ", victimMessages));
        Assert.Equal(fleet.Devices.Count, sink.Connections);
        Assert.True(log.Lines.Count == 0, log.ToString());
        await observer.DisconnectAsync(new MQTTnet.MqttClientDisconnectOptions(), CancellationToken.None);
        observer.Dispose();
    }

    [Fact]
    public async Task RunAsync_PerDeviceFibreCutEnded_WillThenOnlineAgainOnEmbeddedBroker()
    {
        // Arrange
        await using var broker = await TestBroker.StartAsync();
        var fleet = SmallFleet.Create();
        var start = DateTimeOffset.UtcNow.AddSeconds(-110);
        var cut = (DistrictFibreCutScenario)ScenarioCatalog.Create(ScenarioSpec.Parse("district-fibre-cut,district=tu-ky,duration=100s"), fleet, start, 42);
        var generator = new MessageGenerator(fleet, new SimulationSettings { Seed = 42, Start = start }, new ScenarioTimeline([cut]));
        var victim = cut.AffectedDevices[0].Address.Topic(MessageChannel.Status);
        await using var sink = new PerDeviceSink(fleet, new MqttConnectionOptions { Port = broker.Port, ClientId = "will3" });
        await sink.StartAsync(CancellationToken.None);
        var runner = new SimulationRunner(generator, sink, new SimulatorStats(), TimeProvider.System, 0, NullLogger.Instance);

        // Act
        await runner.RunAsync(new RunLimits(Duration: TimeSpan.FromSeconds(2)), CancellationToken.None);
        await TestBroker.WaitUntilAsync(() => Task.FromResult(broker.Received.Count(r => r.Topic == victim) >= 2), TimeSpan.FromSeconds(5), "will, then online");

        // Assert
        var victimMessages = broker.Received.Where(r => r.Topic == victim).Select(r => r.Payload).ToList();
        var will = victimMessages.IndexOf("""{"state":"offline"}""");
        Assert.True(will >= 0 && will < victimMessages.Count - 1 && victimMessages[^1].Contains("\"online\"", StringComparison.Ordinal), string.Join(" , ", victimMessages));
        Assert.Contains("\"online\"", await broker.RetainedPayloadAsync(victim), StringComparison.Ordinal);
    }
}
