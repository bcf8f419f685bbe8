using Ioc.Contract.Alerts;
using Ioc.Dashboard.Live;
using Ioc.Dashboard.Tests.Shared;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Ioc.Dashboard.Tests.Live;

public sealed class AlertAnnouncementsTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 3, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task EngineChanges_Burst_CollapseIntoOneCallAndRememberTheNewAlert()
    {
        // Arrange
        var engine = new TestAlertEngine(_time);
        using var announcements = new AlertAnnouncements(_time, NullLogger<AlertAnnouncements>.Instance, engine);
        var calls = 0;
        using var subscription = announcements.Subscribe(() =>
        {
            Interlocked.Increment(ref calls);
            return Task.CompletedTask;
        });

        // Act: a district goes down (ten alerts), then someone acknowledges one.
        for (var i = 0; i < 10; i++)
        {
            engine.Add(AlertSeverity.Major, $"AP {i} offline", "thanh-ha");
        }

        var critical = engine.Add(AlertSeverity.Critical, "Thanh Ha down", "thanh-ha");
        await engine.AcknowledgeAsync(1, "op1", null, CancellationToken.None);
        _time.Advance(ThrottledSignal.Interval + TimeSpan.FromMilliseconds(1));

        // Assert
        Assert.Equal(1, Volatile.Read(ref calls));
        Assert.Equal(12, announcements.Version);
        Assert.Equal(critical.Id, announcements.LastFired!.Alert.Id);
    }

    [Fact]
    public void EngineHealth_Silent_ReachesTheDeviceStateStore()
    {
        // Arrange
        var engine = new TestAlertEngine(_time);
        using var devices = new DeviceStateStore(_time, NullLogger<DeviceStateStore>.Instance, engine);
        var since = _time.GetUtcNow();

        // Act
        engine.ReportHealth(new DeviceHealth("dc-tinh", "ups", "DC-UPS-01", "tp-hai-duong", HealthState.Silent, since.AddMinutes(-3), since));

        // Assert
        var device = Assert.Single(devices.Snapshot());
        Assert.Equal("DC-UPS-01", device.Address.DeviceId);
        Assert.Equal(HealthState.Silent, device.Health!.State);
    }
}
