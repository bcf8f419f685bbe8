using Ioc.Collector.Configuration;
using Ioc.Collector.Diagnostics;
using Ioc.Collector.Tests.Shared;

namespace Ioc.Collector.Tests.Pipeline;

/// <summary>The store down and the spool unusable at once: batches are held and retried, and the collector says it is failing.</summary>
public class DoubleFailureTests
{
    private static readonly long Ms = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds();

    private static string Payload(int i) => "{\"ts\":" + (Ms + i) + ",\"metrics\":{\"seq\":" + i + "}}";

    [Fact]
    public async Task StoreDownAndSpoolDiskFailing_HoldsEveryBatch_ThenStoresEachMessageOnceWhenTheStoreReturns()
    {
        var store = new TestTelemetryStore { Down = true };
        await using var pipeline = new PipelineHarness(store, new CollectorOptions { BatchSize = 10, BatchInterval = TimeSpan.FromMilliseconds(20) });
        // The spool's folder is replaced by a file: every append fails on the filesystem, as on a dead or vanished disk.
        Directory.Delete(pipeline.Spool.Folder, recursive: true);
        await File.WriteAllTextAsync(pipeline.Spool.Folder, "not a folder");
        await pipeline.StartAsync();

        for (var i = 0; i < 40; i++)
        {
            await pipeline.SendAsync($"ioc/v1/dc/ups/U{i % 4}/telemetry", Payload(i));
        }

        await Wait.UntilAsync(() => pipeline.Metrics.HeldBatches > 0 && pipeline.Spool.Fault is not null, "a batch held with the spool failing");
        var failing = pipeline.Status.Snapshot();
        Assert.Equal(CollectorStatus.Unhealthy, failing.Status);
        Assert.Equal(2, failing.Health);
        Assert.Contains(failing.Reasons, r => r.Contains("disk spool failing", StringComparison.Ordinal));
        Assert.Empty(pipeline.Acks);

        store.Down = false;

        await Wait.UntilAsync(() => pipeline.Acks.Count == 40, "all 40 acknowledged after the store returned");
        Assert.Equal(40, store.Written.Count);
        Assert.Equal(40, store.Written.Select(p => p.GetField("seq").ToString()).Distinct().Count());
        Assert.False(pipeline.Availability.IsDown);
        Assert.Equal(0, pipeline.Metrics.HeldBatches);
        // The store is back but the spool's disk is still broken: still reported, until it is repaired.
        Assert.Contains(pipeline.Status.Snapshot().Reasons, r => r.Contains("disk spool failing", StringComparison.Ordinal));

        File.Delete(pipeline.Spool.Folder);
        Directory.CreateDirectory(pipeline.Spool.Folder);

        await Wait.UntilAsync(() => pipeline.Status.Snapshot().Status == CollectorStatus.Healthy, "healthy once the spool's folder is back");
    }

    [Fact]
    public async Task StoreDownAndSpoolFull_HoldsTheBatch_AndReportsTheSpoolFull()
    {
        var store = new TestTelemetryStore { Down = true };
        // 1 MiB (the least allowed) and batches of 2,000 points of about 100 bytes: about seven batches fit.
        await using var pipeline = new PipelineHarness(store, new CollectorOptions { BatchSize = 2_000, SpoolMaxBytes = 1 << 20, WriteConcurrency = 1 });
        await pipeline.StartAsync();

        const int count = 30_000;
        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < count; i++)
            {
                await pipeline.SendAsync($"ioc/v1/dc/ups/U{i % 10}/telemetry", Payload(i));
            }
        });

        await Wait.UntilAsync(() => pipeline.Spool.IsFull && pipeline.Metrics.HeldBatches > 0, "the spool full and a batch held", 30);
        var full = pipeline.Status.Snapshot();
        Assert.Equal(CollectorStatus.Unhealthy, full.Status);
        Assert.True(full.SpoolFull);
        Assert.Contains(full.Reasons, r => r.Contains("disk spool full", StringComparison.Ordinal));
        Assert.True(pipeline.Acks.Count < count);

        store.Down = false;

        await sending;
        await Wait.UntilAsync(() => pipeline.Acks.Count == count, "every message acknowledged", 30);
        await Wait.UntilAsync(() => pipeline.Spool.IsEmpty && !pipeline.Spool.IsFull, "spool drained", 30);
        Assert.Equal(count, store.Written.Select(p => p.GetField("seq").ToString()).Distinct().Count());
    }

    [Fact]
    public async Task FrozenStore_MakesTheCollectorFailingAfterNoWriteFailAfter_AndHealthyOnceItAnswers()
    {
        var store = new TestTelemetryStore { Frozen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var options = new CollectorOptions { BatchSize = 5, BatchInterval = TimeSpan.FromMilliseconds(20) };
        options.Health.NoWriteFailAfter = 1;
        await using var pipeline = new PipelineHarness(store, options);
        await pipeline.StartAsync();

        for (var i = 0; i < 5; i++)
        {
            await pipeline.SendAsync("ioc/v1/dc/ups/U1/telemetry", Payload(i));
        }

        await Wait.UntilAsync(() => pipeline.Status.Snapshot().Status == CollectorStatus.Unhealthy, "failing while the store is frozen");
        var frozen = pipeline.Status.Snapshot();
        Assert.True(frozen.NoWriteSeconds >= 1, $"no write for {frozen.NoWriteSeconds} s");
        Assert.Contains(frozen.Reasons, r => r.Contains("no batch stored or spooled", StringComparison.Ordinal));
        Assert.Empty(pipeline.Acks);

        store.Frozen.SetResult();

        await Wait.UntilAsync(() => pipeline.Acks.Count == 5, "acknowledged once the store answers");
        var healthy = pipeline.Status.Snapshot();
        Assert.Equal(CollectorStatus.Healthy, healthy.Status);
        Assert.Equal(0, healthy.NoWriteSeconds);
    }

    [Fact]
    public async Task DecoderFault_MakesTheCollectorFailingForAMinute()
    {
        var store = new TestTelemetryStore();
        await using var pipeline = new PipelineHarness(store, decode: _ => throw new InvalidOperationException("bug"), new CollectorOptions { BatchSize = 1 });
        await pipeline.StartAsync();

        await pipeline.SendAsync("ioc/v1/dc/ups/U1/telemetry", Payload(1));

        await Wait.UntilAsync(() => pipeline.Acks.Count == 1, "the faulty message acknowledged");
        var snapshot = pipeline.Status.Snapshot();
        Assert.Equal(CollectorStatus.Unhealthy, snapshot.Status);
        Assert.Equal(1, snapshot.DecoderFaults);
        Assert.Contains(snapshot.Reasons, r => r.Contains("decoder fault", StringComparison.Ordinal));
    }
}
