using Ioc.Dashboard.Live;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Ioc.Dashboard.Tests.Live;

public sealed class ThrottledSignalTests
{
    [Fact]
    public async Task Notify_FromAThreadWithAnotherCulture_CallsSubscriberInTheCultureItSubscribedWith()
    {
        // Arrange: a component subscribes on its circuit, in Vietnamese.
        var time = new FakeTimeProvider();
        using var signal = new ThrottledSignal(time, NullLogger.Instance);
        string? seen = null;
        var original = (System.Globalization.CultureInfo.CurrentCulture, System.Globalization.CultureInfo.CurrentUICulture);
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("vi-VN");
        using var subscription = signal.Subscribe(() =>
        {
            seen = $"{System.Globalization.CultureInfo.CurrentCulture.Name}|{System.Globalization.CultureInfo.CurrentUICulture.Name}|{1234.5.ToString("N1", System.Globalization.CultureInfo.CurrentCulture)}";
            return Task.CompletedTask;
        });
        (System.Globalization.CultureInfo.CurrentCulture, System.Globalization.CultureInfo.CurrentUICulture) = original;

        // Act: the live feed notifies from a pool thread running the process culture.
        await Task.Run(() =>
        {
            System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.InvariantCulture;
            signal.Notify();
            time.Advance(ThrottledSignal.Interval);
        });

        // Assert
        Assert.Equal("vi-VN|vi-VN|1.234,5", seen);
    }

    [Fact]
    public void Notify_BurstOfHundred_CallsSubscriberOnceAfterInterval()
    {
        // Arrange
        var time = new FakeTimeProvider();
        using var signal = new ThrottledSignal(time, NullLogger.Instance);
        var calls = 0;
        using var subscription = signal.Subscribe(() =>
        {
            Interlocked.Increment(ref calls);
            return Task.CompletedTask;
        });

        // Act
        for (var i = 0; i < 100; i++)
        {
            signal.Notify();
        }

        var beforeInterval = calls;
        time.Advance(ThrottledSignal.Interval);

        // Assert
        Assert.Equal(0, beforeInterval);
        Assert.Equal(1, calls);
    }

    [Fact]
    public void Notify_AfterDispose_DoesNotCallSubscriber()
    {
        // Arrange
        var time = new FakeTimeProvider();
        using var signal = new ThrottledSignal(time, NullLogger.Instance);
        var calls = 0;
        var subscription = signal.Subscribe(() =>
        {
            calls++;
            return Task.CompletedTask;
        });

        // Act
        subscription.Dispose();
        signal.Notify();
        time.Advance(ThrottledSignal.Interval);

        // Assert
        Assert.Equal(0, calls);
        Assert.Equal(0, signal.SubscriberCount);
    }

    [Fact]
    public void Notify_FailingSubscriber_OthersStillHear()
    {
        // Arrange
        var time = new FakeTimeProvider();
        using var signal = new ThrottledSignal(time, NullLogger.Instance);
        var heard = false;
        using var bad = signal.Subscribe(() => throw new ObjectDisposedException("circuit"));
        using var good = signal.Subscribe(() =>
        {
            heard = true;
            return Task.CompletedTask;
        });

        // Act
        signal.Notify();
        time.Advance(ThrottledSignal.Interval);

        // Assert
        Assert.True(heard);
    }
}
