using Ioc.Collector.Diagnostics;
using Ioc.Contract.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ioc.Collector.Tests.Diagnostics;

/// <summary>Allocation rates and heap sizes are the process's: no other test may run meanwhile.</summary>
[CollectionDefinition(nameof(HeapTrimServiceTests), DisableParallelization = true)]
public sealed class HeapTrimCollection;

[Collection(nameof(HeapTrimServiceTests))]
public sealed class HeapTrimServiceTests
{
    private const long Mb = 1L << 20;

    [Theory]
    [InlineData(0, 600, 150, true)] // a burst is over: quiet, 450 MB more than after the last trim
    [InlineData(90, 600, 150, false)] // still ingesting (90 MB/s allocated): the GC's own budgets decide
    [InlineData(0, 180, 150, false)] // quiet, but only 30 MB above the baseline
    [InlineData(0, 182, 150, true)] // quiet, 32 MB above: a 10,000-device burst (60–67 MB of heap against ≈ 10 MB idle)
    [InlineData(3, 214, 150, true)] // just under the quiet rate, just over the growth
    [InlineData(5, 600, 150, false)] // 5 MB/s allocated: not quiet, however much it holds
    public void ShouldTrim_OnlyWhenQuietAndGrown(long allocatedMbPerSecond, long committedMb, long baselineMb, bool expected) =>
        Assert.Equal(expected, HeapTrimService.ShouldTrim(allocatedMbPerSecond * Mb, committedMb * Mb, baselineMb * Mb));

    [Fact]
    public void Check_AfterAShortLivedBurst_RunsOneFullCollection_ThenNotAgainWhileQuiet()
    {
        // Arrange: a service whose baseline is this process's heap now.
        var service = new HeapTrimService(TimeProvider.System, NullLogger<HeapTrimService>.Instance);
        service.Trim(0);
        var trims = service.Trims;

        // A burst: 200 MB allocated and kept alive across collections (promoted), then dropped.
        var burst = new List<byte[]>();
        for (var i = 0; i < 200; i++)
        {
            burst.Add(new byte[Mb]);
            if (i % 50 == 0)
            {
                GC.Collect(1);
            }
        }

        GC.Collect(1);
        GC.KeepAlive(burst);
        burst = null;

        // Act: the first check sees the burst's allocation rate (not quiet); the next ones see a quiet process.
        var duringBurst = service.Check(TimeSpan.FromSeconds(1));
        var gen2Before = GC.CollectionCount(2);
        var afterBurst = service.Check(TimeSpan.FromSeconds(10));
        var gen2After = GC.CollectionCount(2);
        var again = service.Check(TimeSpan.FromSeconds(10));

        // Assert
        Assert.False(duringBurst);
        Assert.True(afterBurst, "a quiet process holding the burst's memory is trimmed");
        Assert.True(gen2After > gen2Before, "the trim is a full collection");
        Assert.False(again, "nothing has grown since the trim");
        Assert.Equal(trims + 1, service.Trims);
    }

    [Fact]
    public void Check_ABurstBeforeTheFirstCheck_IsTrimmedOnceQuiet()
    {
        // Arrange: a full collection, so that committed memory is near this process's live size; then the service starts.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var service = new HeapTrimService(TimeProvider.System, NullLogger<HeapTrimService>.Instance);

        // A burst right after start-up (a fleet reconnecting), over before... nothing: the first check sees it running.
        var burst = new List<byte[]>();
        for (var i = 0; i < 120; i++)
        {
            burst.Add(new byte[Mb]);
        }

        GC.Collect(1);
        var duringBurst = service.Check(TimeSpan.FromSeconds(1));
        GC.KeepAlive(burst);
        burst = null;
        var afterBurst = service.Check(TimeSpan.FromSeconds(10));

        // Before: the first check's committed size (the burst's) became the baseline and nothing was ever trimmed.
        Assert.False(duringBurst);
        Assert.True(afterBurst, "the burst's memory is measured from the size at start, not from the first check");
    }

    [Fact]
    public async Task CheckAsync_LetsEveryParticipantTrimFirst_ThenCollects_AndDoesNotWaitForeverForAnOwnerThatDoesNotAnswer()
    {
        var gen2AtTrim = new List<int>();
        var prompt = new Participant(() => gen2AtTrim.Add(GC.CollectionCount(2)));
        var silent = new Participant(null); // an alert engine that does not tick here: its task never completes
        var service = new HeapTrimService(TimeProvider.System, NullLogger<HeapTrimService>.Instance, [prompt, silent]);
        service.Trim(0);
        var burst = new List<byte[]>();
        for (var i = 0; i < 100; i++)
        {
            burst.Add(new byte[Mb]);
        }

        GC.Collect(1);
        GC.KeepAlive(burst);
        burst = null;
        await service.CheckAsync(TimeSpan.FromSeconds(1), CancellationToken.None); // the burst's allocation rate: not quiet
        Assert.Equal(0, prompt.Calls);

        var started = DateTime.UtcNow;
        var trimmed = await service.CheckAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        var gen2After = GC.CollectionCount(2);

        Assert.True(trimmed);
        Assert.Equal(1, prompt.Calls);
        Assert.Equal(1, silent.Calls);
        Assert.True(gen2After > Assert.Single(gen2AtTrim), "the participants trim before the full collection");
        var waited = DateTime.UtcNow - started;
        Assert.True(waited >= HeapTrimService.ParticipantTimeout - TimeSpan.FromMilliseconds(100) && waited < TimeSpan.FromSeconds(30), $"waited {waited}");
    }

    private sealed class Participant(Action? trim) : IHeapTrimParticipant
    {
        public int Calls { get; private set; }

        public Task TrimAsync(CancellationToken cancellationToken)
        {
            Calls++;
            if (trim is null)
            {
                return new TaskCompletionSource().Task;
            }

            trim();
            return Task.CompletedTask;
        }
    }
}
