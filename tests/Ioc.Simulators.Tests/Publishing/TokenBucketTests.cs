using Ioc.Simulators.Publishing;
using Microsoft.Extensions.Time.Testing;

namespace Ioc.Simulators.Tests.Publishing;

public sealed class TokenBucketTests
{
    [Fact]
    public void TryTake_BurstSpent_RefillsAtTheRate()
    {
        // Arrange
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket(100, time, burst: 5);

        // Act / Assert
        Assert.True(bucket.TryTake());
        Assert.False(bucket.TryTake());
        time.Advance(TimeSpan.FromMilliseconds(30));
        Assert.Equal(3, Enumerable.Range(0, 10).Count(_ => bucket.TryTake()));
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(5, Enumerable.Range(0, 10).Count(_ => bucket.TryTake()));
    }

    [Fact]
    public async Task TakeAsync_NoToken_CompletesOnlyWhenTimeAdvances()
    {
        // Arrange
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket(10, time, burst: 1);
        await bucket.TakeAsync(CancellationToken.None);

        // Act
        var pending = bucket.TakeAsync(CancellationToken.None).AsTask();
        await Task.Yield();
        var completedEarly = pending.IsCompleted;
        time.Advance(TimeSpan.FromMilliseconds(100));
        await pending.WaitAsync(TimeSpan.FromSeconds(5));

        // Assert
        Assert.False(completedEarly);
        Assert.True(pending.IsCompletedSuccessfully);
    }

    [Fact]
    public void Constructor_ZeroRate_Refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenBucket(0, TimeProvider.System));
}
