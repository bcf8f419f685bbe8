using Ioc.Simulators.Generation;
using Ioc.Simulators.Publishing;
using Ioc.Simulators.Tests.Shared;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Ioc.Simulators.Tests.Publishing;

public sealed class SimulationRunnerTests
{
    [Fact]
    public async Task RunAsync_FakeClock_SendsEachMessageOnlyOnceItsTimeHasCome()
    {
        // Arrange
        var time = new FakeTimeProvider(TestFleets.Start);
        var generator = new MessageGenerator(SmallFleet.Create(), new SimulationSettings { Seed = 42, Start = TestFleets.Start });
        var expected = new MessageGenerator(SmallFleet.Create(), new SimulationSettings { Seed = 42, Start = TestFleets.Start })
            .Until(TestFleets.Start.AddSeconds(30)).ToList();
        var sink = new TestSink(time);
        var stats = new SimulatorStats();
        stats.Reset(SmallFleet.Create().Devices.Count);
        using var stop = new CancellationTokenSource();
        var run = new SimulationRunner(generator, sink, stats, time, 0, NullLogger.Instance).RunAsync(RunLimits.None, stop.Token);

        // Act: let simulated time pass one second at a time.
        for (var second = 1; second <= 30; second++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            var due = expected.Count(m => m.At <= time.GetUtcNow());
            await TestBroker.WaitUntilAsync(() => Task.FromResult(sink.Sent.Count >= due), TimeSpan.FromSeconds(5), $"{due} messages by second {second}");
        }

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        // Assert
        Assert.All(sink.Sent, s => Assert.True(s.Message.At <= s.SentAt.AddMilliseconds(2), $"{s.Message.Topic} at {s.Message.At:O} sent at {s.SentAt:O}"));
        Assert.Equal(expected.Select(m => m.Topic + m.PayloadText), sink.Sent.Take(expected.Count).Select(s => s.Message.Topic + s.Message.PayloadText));
        Assert.Equal(SmallFleet.Create().Devices.Count, stats.Snapshot().DevicesOnline);
    }

    [Fact]
    public async Task RunAsync_CountLimit_StopsAfterExactlyThatMany()
    {
        // Arrange: an hour of backlog.
        var generator = new MessageGenerator(SmallFleet.Create(), new SimulationSettings { Seed = 42, Start = DateTimeOffset.UtcNow.AddHours(-1) });
        var sink = new TestSink(TimeProvider.System);
        var runner = new SimulationRunner(generator, sink, new SimulatorStats(), TimeProvider.System, 0, NullLogger.Instance);

        // Act
        await runner.RunAsync(new RunLimits(MaxMessages: 777), CancellationToken.None);

        // Assert
        Assert.Equal(777, sink.Sent.Count);
    }
}
