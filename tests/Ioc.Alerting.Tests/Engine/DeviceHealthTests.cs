using Ioc.Contract.Alerts;
using Ioc.Alerting.Tests.Shared;

namespace Ioc.Alerting.Tests.Engine;

public sealed class DeviceHealthTests
{
    [Fact]
    public async Task Health_OnlineThenLastWillThenSilence_AnnouncesEachChangeOnce()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(), new() { ["Ioc:Alerting:HealthSilentAfter"] = "00:03:00" });
        var seen = new List<DeviceHealth>();
        using var subscription = h.Feed.Subscribe(null, health => seen.Add(health));

        await h.TelemetryAsync(TestDevices.ThSwitch, """{"if_in_errors": 0}""");
        await h.TelemetryAsync(TestDevices.ThSwitch, """{"if_in_errors": 0}""");
        await h.SendAsync(TestMessages.Status(TestDevices.ThSwitch, online: false, h.Now));
        await h.AdvanceAsync(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(1));
        await h.SendAsync(TestMessages.Status(TestDevices.ThSwitch, online: true, h.Now));
        await h.AdvanceAsync(TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(1));

        Assert.Equal([HealthState.Online, HealthState.Offline, HealthState.Online, HealthState.Silent], seen.Select(s => s.State).ToList());
        Assert.All(seen, s => Assert.Equal("thanh-ha", s.District));
        Assert.Equal(AlertingHarness.Start + TimeSpan.FromMinutes(13), seen[^1].Since);
        var stored = Assert.Single(await h.Service.ListDeviceHealthAsync(CancellationToken.None));
        Assert.Equal(HealthState.Silent, stored.State);
        Assert.Equal("TH-SW-01", stored.DeviceId);
        Assert.Equal(AlertingHarness.Start + TimeSpan.FromMinutes(10), stored.LastSeen);
    }

    [Fact]
    public async Task Silence_ForAnUnknownRule_IsRefused()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules());

        var error = await Assert.ThrowsAsync<Ioc.Alerting.Service.AlertCommandException>(() => h.Service.CreateSilenceAsync(
            new SilenceRequest { RuleId = "no-such-rule", StartsAt = h.Now, EndsAt = h.Now.AddHours(1), Reason = "x" }, "lan", CancellationToken.None));

        Assert.Equal("there is no rule 'no-such-rule'", error.Message);
    }
}
