using Ioc.ScenarioTests.Shared;

namespace Ioc.ScenarioTests;

/// <summary><c>district-fibre-cut</c>: one critical district alert with the device alerts grouped under it; cleared when the fibre is back.</summary>
public sealed class DistrictFibreCutTests
{
    [Fact]
    public async Task DistrictFibreCut_ThanhHa_OneDistrictAlertWithEveryDeviceGroupedUnderItThenCleared()
    {
        // Arrange: cut at 2 min for 6 min; wills at 3 min 30 s; back at 8 min.
        await using var session = await ScenarioSession.StartAsync("district-fibre-cut@2m,district=thanh-ha,duration=6m");
        var cut = ScenarioFleet.Fleet.Devices.Where(d => d.District == "thanh-ha").Select(d => d.Id).ToHashSet();

        // Act: play until the last second of the cut.
        await session.Driver.RunUntilAsync(TimeSpan.FromMinutes(8) - TimeSpan.FromSeconds(1));
        var during = await session.OpenAlertsWhenAsync(
            open => open.Count(a => a.RuleId == "device-offline") == cut.Count && open.Any(a => a.RuleId == "district-down"),
            "every cut device offline and the district alert open");

        // Assert: one district alert, its children exactly the cut devices.
        var district = Assert.Single(during, a => a.RuleId == "district-down");
        Assert.Equal(Ioc.Contract.Alerts.AlertSeverity.Critical, district.Severity);
        Assert.Equal("thanh-ha", district.District);
        Assert.Null(district.ParentId);
        var devices = during.Where(a => a.RuleId == "device-offline").ToList();
        Assert.Equal(cut.Order(), devices.Select(a => a.DeviceId!).Order());
        Assert.All(devices, a => Assert.Equal(district.Id, a.ParentId));
        Assert.Equal(cut.Count + 1, during.Count);
        var details = await session.Host.Alerts.GetAsync(district.Id, CancellationToken.None);
        Assert.Equal(cut.Order(), details!.Children.Select(c => c.DeviceId!).Order());
        Assert.Single(await session.Host.Alerts.ListOpenAsync(new() { TopLevelOnly = true }, CancellationToken.None));

        // Act: the fibre is back at 8 min.
        await session.Driver.RunUntilAsync(TimeSpan.FromMinutes(10));
        await session.AllClearedAsync();

        // Assert: nothing else was ever raised, and the engine cleared everything.
        var all = await session.AllAlertsAsync();
        AlertAssert.Exactly(cut.Select(id => $"device-offline {id}").Append($"district-down {district.Subject}"), all);
        AlertAssert.AllResolvedByEngine(all);
        await session.AnnouncedAsync(all);
    }
}
