using Ioc.Contract.Alerts;
using Ioc.Contract;
using Ioc.ScenarioTests.Shared;

namespace Ioc.ScenarioTests;

/// <summary>Data-center scenarios: <c>crac-failure</c>, <c>mains-power-loss</c>, <c>disk-fill</c>.</summary>
public sealed class DataCenterScenarioTests
{
    [Fact]
    public async Task CracFailure_RowB_CracAndRowBInletAlertsOnlyThenCleared()
    {
        // Arrange: row B's CRAC fails at 1 min for 25 min; the row cools back within about 15 min after.
        await using var session = await ScenarioSession.StartAsync("crac-failure@1m,row=B,duration=25m");
        var rowB = ScenarioFleet.Fleet.Devices.Where(d => d.Tag("row") == "B" && d.Type == DeviceTypes.EnvironmentSensor).Select(d => d.Id).ToList();

        // Act
        await session.Driver.RunUntilAsync(TimeSpan.FromMinutes(26) - TimeSpan.FromSeconds(1));
        var during = await session.OpenAlertsWhenAsync(
            open => open.Any(a => a.RuleId == "crac-failure") && rowB.All(id => open.Any(a => a.RuleId == "dc-overheat" && a.DeviceId == id)),
            "CRAC failure and every row-B inlet overheating");
        await session.Driver.RunUntilAsync(TimeSpan.FromMinutes(50));
        await session.AllClearedAsync();

        // Assert
        Assert.Equal(AlertSeverity.Critical, Assert.Single(during, a => a.RuleId == "crac-failure").Severity);
        var all = await session.AllAlertsAsync();
        var expected = new[] { "crac-failure DC-CRAC-B1" }
            .Concat(rowB.Select(id => $"dc-inlet-warm {id}"))
            .Concat(rowB.Select(id => $"dc-overheat {id}"))
            .Concat(rowB.Select(id => $"dc-temp-rising {id}"));
        AlertAssert.Exactly(expected, all);
        AlertAssert.AllResolvedByEngine(all);
        await session.AnnouncedAsync(all);
        var warm = all.Where(a => a.RuleId == "dc-inlet-warm").Min(a => a.FiredAt);
        var overheat = all.Where(a => a.RuleId == "dc-overheat").Min(a => a.FiredAt);
        var rising = all.Where(a => a.RuleId == "dc-temp-rising").Min(a => a.FiredAt);
        Assert.True(rising < overheat && warm < overheat, $"early warnings first: rising {rising:t}, warm {warm:t}, overheat {overheat:t}");
    }

    [Fact]
    public async Task MainsPowerLoss_TwoUps_SiteAlertWithUpsAlertsGroupedThenCleared()
    {
        // Arrange: 8 minutes on battery keep the charge above 25 % and the runtime above 10 min at any load.
        await using var session = await ScenarioSession.StartAsync("mains-power-loss@1m,duration=8m");

        // Act
        await session.Driver.RunUntilAsync(TimeSpan.FromMinutes(9) - TimeSpan.FromSeconds(1));
        var during = await session.OpenAlertsWhenAsync(open => open.Count(a => a.RuleId == "ups-on-battery") == 2 && open.Any(a => a.RuleId == "site-mains-lost"), "both UPS on battery and the site alert");
        await session.Driver.RunUntilAsync(TimeSpan.FromMinutes(11));
        await session.AllClearedAsync();

        // Assert
        var site = Assert.Single(during, a => a.RuleId == "site-mains-lost");
        Assert.Equal(AlertSeverity.Critical, site.Severity);
        Assert.All(during.Where(a => a.RuleId == "ups-on-battery"), a => Assert.Equal(site.Id, a.ParentId));
        var all = await session.AllAlertsAsync();
        AlertAssert.Exactly(["ups-on-battery DC-UPS01", "ups-on-battery DC-UPS02", $"site-mains-lost {site.Subject}"], all);
        AlertAssert.AllResolvedByEngine(all);
        await session.AnnouncedAsync(all);
    }

    [Fact]
    public async Task DiskFill_OneServer_WarningThenCriticalOnItsRootThenCleared()
    {
        // Arrange: 10 points a minute for 10 minutes reach 100 % from any usual level; the operator then clears it.
        await using var session = await ScenarioSession.StartAsync("disk-fill@1m,device=DC-A01-SRV01,rate=10,duration=10m");

        // Act
        await session.Driver.RunUntilAsync(TimeSpan.FromMinutes(11) - TimeSpan.FromSeconds(1));
        var during = await session.OpenAlertsWhenAsync(open => open.Any(a => a.RuleId == "disk-full"), "disk full");
        await session.Driver.RunUntilAsync(TimeSpan.FromMinutes(30));
        await session.AllClearedAsync();

        // Assert
        Assert.Equal(AlertSeverity.Critical, Assert.Single(during, a => a.RuleId == "disk-full").Severity);
        var all = await session.AllAlertsAsync();
        AlertAssert.Exactly(["disk-almost-full DC-A01-SRV01", "disk-full DC-A01-SRV01"], all);
        Assert.All(all, a => Assert.Equal("/", a.Labels["path"]));
        AlertAssert.AllResolvedByEngine(all);
        await session.AnnouncedAsync(all);
    }
}
