using Ioc.Collector.Configuration;
using Ioc.Collector.Diagnostics;
using Ioc.Collector.Pipeline;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Ioc.Collector.Tests.Pipeline;

public class DeviceRateLimiterTests
{
    private const string Flooder = "ioc/v1/dc/ups/U1/telemetry";

    private static DeviceRateLimiter Create(FakeTimeProvider time, CollectorMetrics metrics, double rate = 10, double burst = 20, int tracked = 16, TimeSpan? grace = null) =>
        new(Options.Create(new CollectorOptions { DeviceRateLimit = rate, DeviceBurst = burst, RateLimitTrackedDevices = tracked, RateLimitGrace = grace ?? TimeSpan.Zero }), metrics, time);

    [Fact]
    public void Check_BurstThenRate_PassesTheBurstThenOneSampleASecond_AndRefillsAtTheRate()
    {
        var time = new FakeTimeProvider();
        using var metrics = new CollectorMetrics();
        var limiter = Create(time, metrics);

        var decisions = Enumerable.Range(0, 25).Select(_ => limiter.Check(Flooder)).ToList();

        Assert.Equal(20, decisions.Count(d => d == RateDecision.Pass));
        Assert.Equal(RateDecision.LimitedSample, decisions[20]);
        Assert.All(decisions.Skip(21), d => Assert.Equal(RateDecision.Limited, d));
        // Another device has its own bucket.
        Assert.Equal(RateDecision.Pass, limiter.Check("ioc/v1/dc/ups/U2/telemetry"));
        // The same device on another channel shares it.
        Assert.Equal(RateDecision.Limited, limiter.Check("ioc/v1/dc/ups/U1/event"));

        time.Advance(TimeSpan.FromSeconds(1));
        var next = Enumerable.Range(0, 12).Select(_ => limiter.Check(Flooder)).ToList();

        Assert.Equal(10, next.Count(d => d == RateDecision.Pass));
        Assert.Equal(1, next.Count(d => d == RateDecision.LimitedSample));
    }

    [Fact]
    public void Flooding_ReportsADeviceOnceAMinuteWhileItFloods_AndForgetsItAfterAQuietMinute()
    {
        var time = new FakeTimeProvider();
        using var metrics = new CollectorMetrics();
        var limiter = Create(time, metrics);
        for (var i = 0; i < 100; i++)
        {
            limiter.Check(Flooder);
        }

        var flooding = limiter.Flooding(out var due);
        Assert.Equal("dc/ups/U1", Assert.Single(flooding).Device);
        Assert.Equal("dc/ups/U1", Assert.Single(due).Device);
        Assert.Equal(1, metrics.FloodDevices);

        time.Advance(TimeSpan.FromSeconds(30));
        for (var i = 0; i < 100; i++)
        {
            limiter.Check(Flooder);
        }

        // Still flooding, but reported less than a minute ago: no new event.
        Assert.Single(limiter.Flooding(out due));
        Assert.Empty(due);

        time.Advance(TimeSpan.FromSeconds(31));
        for (var i = 0; i < 100; i++)
        {
            limiter.Check(Flooder);
        }

        Assert.Single(limiter.Flooding(out due));
        Assert.Single(due);

        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Empty(limiter.Flooding(out _));
        Assert.Equal(0, metrics.FloodDevices);
    }

    [Fact]
    public void Check_MoreDevicesThanTracked_ForgetsRefilledOnesAndStaysBounded()
    {
        var time = new FakeTimeProvider();
        using var metrics = new CollectorMetrics();
        var limiter = Create(time, metrics, tracked: 16);

        for (var i = 0; i < 1_000; i++)
        {
            Assert.Equal(RateDecision.Pass, limiter.Check($"ioc/v1/dc/ups/D{i}/telemetry"));
            time.Advance(TimeSpan.FromMilliseconds(500));
            Assert.InRange(limiter.TrackedDevices, 1, 16);
        }
    }

    [Fact]
    public void Check_WithinTheGraceAfterConnect_PassesEverything()
    {
        var time = new FakeTimeProvider();
        using var metrics = new CollectorMetrics();
        var limiter = Create(time, metrics, grace: TimeSpan.FromSeconds(60));
        limiter.Connected();

        Assert.All(Enumerable.Range(0, 500).Select(_ => limiter.Check(Flooder)), d => Assert.Equal(RateDecision.Pass, d));

        time.Advance(TimeSpan.FromSeconds(61));
        Assert.Contains(RateDecision.LimitedSample, Enumerable.Range(0, 50).Select(_ => limiter.Check(Flooder)));
    }

    [Fact]
    public void Check_NotADeviceTopic_OrLimitOff_Passes()
    {
        var time = new FakeTimeProvider();
        using var metrics = new CollectorMetrics();
        var off = Create(time, metrics, rate: 0);
        var on = Create(time, metrics, burst: 1);

        Assert.All(Enumerable.Range(0, 100).Select(_ => off.Check(Flooder)), d => Assert.Equal(RateDecision.Pass, d));
        Assert.All(Enumerable.Range(0, 100).Select(_ => on.Check("not/a/device")), d => Assert.Equal(RateDecision.Pass, d));
    }

    [Fact]
    public void Check_ManyDevices_KeepsNoStringPerDevice_AndAllocatesNothingOnceSeen()
    {
        // 100,000 devices is the scale target (docs/performance.md): what the limiter keeps per device is a 16-byte bucket.
        var time = new FakeTimeProvider();
        using var metrics = new CollectorMetrics();
        var limiter = Create(time, metrics, tracked: 200_000);
        var topics = Enumerable.Range(0, 100_000).Select(i => $"ioc/v1/xa-{i % 235:D3}/wifi-ap/hd-ap-{i:D6}/telemetry").ToArray();

        var passed = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var topic in topics)
        {
            passed += limiter.Check(topic) == RateDecision.Pass ? 1 : 0;
        }

        var firstSeen = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var topic in topics)
        {
            passed += limiter.Check(topic) == RateDecision.Pass ? 1 : 0;
        }

        var again = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(200_000, passed);
        Assert.Equal(100_000, limiter.TrackedDevices);
        // The dictionary's growth only (32-byte entries, ≈ 110 bytes per device allocated while it doubles); a string key per device and 72-byte entries came to ≈ 250.
        Assert.InRange(firstSeen / 100_000.0, 0, 130);
        Assert.Equal(0, again);
    }
}
