using Ioc.Contract.Alerts;
using Ioc.ScenarioTests.Shared;

namespace Ioc.ScenarioTests;

/// <summary>Security scenarios: <c>brute-force</c>, <c>rogue-ap</c>, <c>ddos</c>.</summary>
public sealed class SecurityScenarioTests
{
    [Fact]
    public async Task BruteForce_OneSource_OneMajorAlertForTheSourceThenStale()
    {
        // Arrange: 30 attempts a minute for 3 minutes from 203.0.113.77 on the edge firewall.
        await using var session = await ScenarioSession.StartAsync("brute-force@1m,duration=3m");

        // Act
        await session.Driver.RunUntilAsync(TimeSpan.FromMinutes(4) - TimeSpan.FromSeconds(1));
        var during = await session.OpenAlertsWhenAsync(open => open.Any(a => a.RuleId == "brute-force"), "brute force open");
        await session.Driver.RunUntilAsync(TimeSpan.FromMinutes(6));
        await session.AllClearedAsync();

        // Assert
        var alert = Assert.Single(during);
        Assert.Equal(AlertSeverity.Major, alert.Severity);
        Assert.Equal("203.0.113.77", alert.Labels["src_ip"]);
        Assert.True(alert.RepeatCount >= 1, "later attempts counted as repeats");
        var all = await session.AllAlertsAsync();
        AlertAssert.Exactly([$"brute-force {alert.DeviceId ?? alert.Subject}"], all);
        AlertAssert.AllResolvedByEngine(all);
        await session.AnnouncedAsync(all);
    }

    [Fact]
    public async Task RogueAp_RepeatedReports_OneAlertPerBssidThenStale()
    {
        // Arrange: reports at 1 and 6 minutes; stale 15 minutes after the last.
        await using var session = await ScenarioSession.StartAsync("rogue-ap@1m,device=TK-C01-AP1,every=5m,duration=10m");

        // Act
        await session.Driver.RunUntilAsync(TimeSpan.FromMinutes(11) - TimeSpan.FromSeconds(1));
        var during = await session.OpenAlertsWhenAsync(open => open.Any(a => a.RuleId == "rogue-ap"), "rogue AP open");
        await session.Driver.RunUntilAsync(TimeSpan.FromMinutes(23));
        await session.AllClearedAsync();

        // Assert
        var alert = Assert.Single(during);
        Assert.Equal(AlertSeverity.Major, alert.Severity);
        Assert.Equal("TK-C01-AP1", alert.DeviceId);
        Assert.Matches("^[0-9a-f]{2}(:[0-9a-f]{2}){5}$", alert.Labels["bssid"].ToLowerInvariant());
        var all = await session.AllAlertsAsync();
        AlertAssert.Exactly(["rogue-ap TK-C01-AP1"], all);
        AlertAssert.AllResolvedByEngine(all);
        await session.AnnouncedAsync(all);
    }

    [Fact]
    public async Task Ddos_EdgeFirewall_IpsEventAndCpuAlertsThenCleared()
    {
        // Arrange: the attack ramps over a minute from 1 min, lasts 5 minutes; the IPS event goes stale 10 minutes after.
        await using var session = await ScenarioSession.StartAsync("ddos@1m,duration=5m");

        // Act
        await session.Driver.RunUntilAsync(TimeSpan.FromMinutes(6) - TimeSpan.FromSeconds(1));
        var during = await session.OpenAlertsWhenAsync(open => open.Any(a => a.RuleId == "ddos-suspected") && open.Any(a => a.RuleId == "firewall-cpu-high"), "DDoS and CPU alerts open");
        await session.Driver.RunUntilAsync(TimeSpan.FromMinutes(13));
        await session.AllClearedAsync();

        // Assert
        Assert.Equal(AlertSeverity.Critical, Assert.Single(during, a => a.RuleId == "ddos-suspected").Severity);
        Assert.Equal(AlertSeverity.Major, Assert.Single(during, a => a.RuleId == "firewall-cpu-high").Severity);
        var all = await session.AllAlertsAsync();
        AlertAssert.Exactly(["ddos-suspected CORE-FW-EDGE", "firewall-cpu-high CORE-FW-EDGE"], all);
        AlertAssert.AllResolvedByEngine(all);
        await session.AnnouncedAsync(all);
    }
}
