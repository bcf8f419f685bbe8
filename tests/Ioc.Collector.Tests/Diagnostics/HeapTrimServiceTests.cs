using Ioc.Collector.Diagnostics;
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
}
