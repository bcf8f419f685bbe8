using Ioc.Collector.Configuration;
using Ioc.Collector.Pipeline;
using Ioc.Collector.Tests.Shared;
using Ioc.Contract.Model;
using Ioc.Contract;

namespace Ioc.Collector.Tests.Pipeline;

public class PipelineTests
{
    private static readonly long Ms = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds();

    private static string Payload(int i) => "{\"ts\":" + (Ms + i) + ",\"metrics\":{\"seq\":" + i + "}}";

    [Fact]
    public async Task Messages_AreAcknowledgedOnlyAfterTheirBatchIsStored()
    {
        var store = new TestTelemetryStore();
        await using var pipeline = new PipelineHarness(store, new CollectorOptions { BatchSize = 10, BatchInterval = TimeSpan.FromSeconds(5), FlushWhenDrained = false });
        await pipeline.StartAsync();

        for (var i = 0; i < 30; i++)
        {
            await pipeline.SendAsync($"ioc/v1/dc/ups/U{i}/telemetry", Payload(i));
        }

        await Wait.UntilAsync(() => pipeline.Acks.Count == 30, "30 acknowledgements");
        Assert.Equal(30, store.Written.Count);
        // Every acknowledgement came after the points of its whole batch (of ten) were in the store.
        Assert.All(pipeline.Acks.Select((ack, index) => (ack, index)), a => Assert.True(a.ack.StoredAtAck >= (a.index / 10 + 1) * 10, $"ack {a.index} at {a.ack.StoredAtAck}"));
    }

    [Fact]
    public async Task PartialBatch_IsFlushedWhenItsIntervalExpires()
    {
        var store = new TestTelemetryStore();
        await using var pipeline = new PipelineHarness(store, new CollectorOptions { BatchSize = 1000, BatchInterval = TimeSpan.FromMilliseconds(50), FlushWhenDrained = false });
        await pipeline.StartAsync();

        for (var round = 0; round < 3; round++)
        {
            await pipeline.SendAsync("ioc/v1/dc/ups/U1/telemetry", Payload(round));
            await Wait.UntilAsync(() => store.Written.Count == round + 1, $"round {round} flushed by time");
        }

        Assert.Equal(3, store.Writes);
    }

    [Fact]
    public async Task DrainedQueue_IsWrittenAtOnce_NotAfterTheBatchInterval()
    {
        var store = new TestTelemetryStore();
        await using var pipeline = new PipelineHarness(store, new CollectorOptions { BatchSize = 1000, BatchInterval = TimeSpan.FromSeconds(10) });
        await pipeline.StartAsync();

        for (var round = 0; round < 3; round++)
        {
            var sent = System.Diagnostics.Stopwatch.GetTimestamp();
            await pipeline.SendAsync("ioc/v1/dc/ups/U1/telemetry", Payload(round));
            // Light load: nothing else waits, the writer is free, so the message is stored now, not 10 s later.
            await Wait.UntilAsync(() => pipeline.Acks.Count == round + 1, $"round {round} stored and acknowledged", seconds: 5);
            Assert.True(System.Diagnostics.Stopwatch.GetElapsedTime(sent) < TimeSpan.FromSeconds(2), $"round {round} took {System.Diagnostics.Stopwatch.GetElapsedTime(sent)}");
        }

        Assert.Equal(3, store.Writes);
    }

    [Fact]
    public async Task BusyWriter_MessagesArrivingMeanwhile_GoInOneBatchWhenItIsFree()
    {
        var store = new TestTelemetryStore { Frozen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using var pipeline = new PipelineHarness(store, new CollectorOptions { BatchSize = 1000, BatchInterval = TimeSpan.FromSeconds(10), WriteConcurrency = 1 });
        await pipeline.StartAsync();

        // The first message goes at once and holds the only writer (the store does not answer yet).
        await pipeline.SendAsync("ioc/v1/dc/ups/U1/telemetry", Payload(0));
        await Wait.UntilAsync(() => Volatile.Read(ref store.Started) == 1, "first write begun");
        for (var i = 1; i <= 50; i++)
        {
            await pipeline.SendAsync("ioc/v1/dc/ups/U1/telemetry", Payload(i));
        }

        await Wait.UntilAsync(() => pipeline.Ingest.Count == 0, "all taken from the ingest queue");
        Assert.Empty(pipeline.Acks);
        store.Frozen.SetResult();

        // The writer, free again, wakes the batcher: the fifty are written together, long before the 10 s interval.
        await Wait.UntilAsync(() => pipeline.Acks.Count == 51, "all stored and acknowledged", seconds: 5);
        Assert.Equal(2, store.Writes);
    }

    [Fact]
    public async Task BadMessage_IsDeadLetteredAndAcknowledged_AndGoodNeighboursAreStored()
    {
        var store = new TestTelemetryStore();
        await using var pipeline = new PipelineHarness(store, new CollectorOptions { BatchSize = 3 });
        await pipeline.StartAsync();

        await pipeline.SendAsync("ioc/v1/dc/ups/U1/telemetry", Payload(1));
        await pipeline.SendAsync("ioc/v1/dc/ups/U1/telemetry", "{\"metrics\":{\"x\":");
        await pipeline.SendAsync("ioc/v1/dc/ups/U1/telemetry", Payload(2));

        await Wait.UntilAsync(() => pipeline.Acks.Count == 3, "three acknowledgements");
        Assert.Equal(2, store.Written.Count);
        var letter = Assert.Single(await pipeline.DeadLetters.ListAsync(10, null, CancellationToken.None));
        Assert.Equal("bad_json", letter.Reason);
        Assert.Equal("{\"metrics\":{\"x\":", System.Text.Encoding.UTF8.GetString(letter.PayloadHead));
        Assert.Equal(1, pipeline.Metrics.RejectedTotal);
    }

    [Fact]
    public async Task StoreRefusingOneMessage_DeadLettersOnlyThatMessage()
    {
        var store = new TestTelemetryStore { RefuseDevice = "BAD" };
        await using var pipeline = new PipelineHarness(store, new CollectorOptions { BatchSize = 5 });
        await pipeline.StartAsync();

        foreach (var device in new[] { "A", "B", "BAD", "C", "D" })
        {
            await pipeline.SendAsync($"ioc/v1/dc/ups/{device}/telemetry", Payload(device[0]));
        }

        await Wait.UntilAsync(() => pipeline.Acks.Count == 5, "five acknowledgements");
        Assert.Equal(["A", "B", "C", "D"], store.Written.Select(p => p.GetTag("device")!).Order());
        var letter = Assert.Single(await pipeline.DeadLetters.ListAsync(10, null, CancellationToken.None));
        Assert.Equal("store_rejected", letter.Reason);
        Assert.Contains("BAD", letter.Topic, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoreDown_BatchesAreSpooledAndAcknowledged_ThenReplayedWhenItReturns()
    {
        var store = new TestTelemetryStore { Down = true };
        await using var pipeline = new PipelineHarness(store, new CollectorOptions { BatchSize = 10 });
        await pipeline.StartAsync();

        for (var i = 0; i < 50; i++)
        {
            await pipeline.SendAsync("ioc/v1/dc/ups/U1/telemetry", Payload(i));
        }

        await Wait.UntilAsync(() => pipeline.Acks.Count == 50, "50 acknowledged while the store is down");
        Assert.Empty(store.Written);
        Assert.True(pipeline.Availability.IsDown);
        Assert.Equal(50, pipeline.Metrics.Spooled);

        store.Down = false;

        await Wait.UntilAsync(() => store.Written.Count == 50 && pipeline.Spool.IsEmpty && !pipeline.Availability.IsDown, "spool replayed");
        Assert.Equal(Enumerable.Range(0, 50), store.Written.Select(p => (int)p.GetField("seq")!.Value.AsDouble()).Order());
    }

    [Fact]
    public async Task Observers_SeeEveryAcceptedMessageInOrder()
    {
        var observer = new RecordingObserver();
        await using var pipeline = new PipelineHarness(new TestTelemetryStore(), null, observer);
        await pipeline.StartAsync();

        await pipeline.SendAsync("ioc/v1/dc/ups/U1/telemetry", Payload(1));
        await pipeline.SendAsync("ioc/v1/dc/ups/U1/status", "{\"state\":\"offline\"}");
        await pipeline.SendAsync("ioc/v1/dc/ups/U1/telemetry", "broken");

        await Wait.UntilAsync(() => pipeline.Acks.Count == 3, "three acknowledgements");
        Assert.Equal([Ioc.Contract.MessageChannel.Telemetry, Ioc.Contract.MessageChannel.Status], observer.Seen.Select(m => m.Channel));
        Assert.Equal(DeviceState.Offline, observer.Seen[1].Status!.State);
    }

    [Fact]
    public async Task Observers_AreShownRunsOfMessages_EachAcceptedMessageOnceInArrivalOrder()
    {
        var observer = new RunRecordingObserver();
        await using var pipeline = new PipelineHarness(new TestTelemetryStore(), null, observer);
        // Queued before the batcher starts, so it finds a backlog and hands it over in runs.
        for (var i = 0; i < 1000; i++)
        {
            await pipeline.SendAsync($"ioc/v1/dc/ups/U{i % 7}/telemetry", i % 100 == 50 ? "broken" : Payload(i));
        }

        await pipeline.StartAsync();

        await Wait.UntilAsync(() => pipeline.Acks.Count == 1000, "1000 acknowledgements");
        var seen = observer.Runs.SelectMany(run => run).ToList();
        Assert.Equal(Enumerable.Range(0, 1000).Where(i => i % 100 != 50).Select(i => Ms + i), seen.Select(m => m.Points[0].TimestampNs / 1_000_000));
        Assert.All(observer.Runs, run => Assert.InRange(run.Length, 1, BatchingService.ObserverRun));
        Assert.True(observer.Runs.Count <= 8, $"{observer.Runs.Count} runs for 990 accepted messages");
        Assert.Empty(observer.Single);
    }

    /// <summary>Records what the batcher hands over in one call (a copy: the span is only valid during the call).</summary>
    private sealed class RunRecordingObserver : ITelemetryObserver
    {
        public List<DecodedMessage[]> Runs { get; } = [];

        public List<DecodedMessage> Single { get; } = [];

        public void Observe(DecodedMessage message)
        {
            lock (Runs)
            {
                Single.Add(message);
            }
        }

        public void Observe(ReadOnlySpan<DecodedMessage> messages)
        {
            lock (Runs)
            {
                Runs.Add(messages.ToArray());
            }
        }
    }

    private sealed class RecordingObserver : ITelemetryObserver
    {
        public List<DecodedMessage> Seen { get; } = [];

        public void Observe(DecodedMessage message)
        {
            lock (Seen)
            {
                Seen.Add(message);
            }
        }
    }
}
