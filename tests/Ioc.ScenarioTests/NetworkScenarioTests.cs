using Ioc.Contract.Alerts;
using Ioc.Contract;
using Ioc.ScenarioTests.Shared;

namespace Ioc.ScenarioTests;

/// <summary><c>link-flap</c> and <c>malformed-payload</c>.</summary>
public sealed class NetworkScenarioTests
{
    [Fact]
    public async Task LinkFlap_AggregationUplink_OneFlappingAlertAndErrorsThenCleared()
    {
        // Arrange: a down every 40 s for 4 minutes (6 downs) on Thanh Hà's aggregation switch.
        await using var session = await ScenarioSession.StartAsync("link-flap@1m,device=TH-AGG-SW01,duration=4m");

        // Act
        await session.Driver.RunUntilAsync(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        var during = await session.OpenAlertsWhenAsync(open => open.Any(a => a.RuleId == "link-flapping"), "link flapping open");
        await session.Driver.RunUntilAsync(TimeSpan.FromMinutes(12));
        await session.AllClearedAsync();

        // Assert: one alert for the flapping, not one per transition.
        var flapping = Assert.Single(during, a => a.RuleId == "link-flapping");
        Assert.Equal(AlertSeverity.Major, flapping.Severity);
        Assert.Equal("Te1/1/1", flapping.Labels["interface"]);
        var all = await session.AllAlertsAsync();
        AlertAssert.Exactly(["interface-errors TH-AGG-SW01", "link-flapping TH-AGG-SW01"], all);
        AlertAssert.AllResolvedByEngine(all);
        await session.AnnouncedAsync(all);
    }

    /// <summary>
    /// Refused messages never reach the engine (the collector shows only accepted ones to observers), so this scenario
    /// cannot raise an alert: what it promises is that each broken payload lands in the dead-letter store under its reason
    /// and the device stays online.
    /// </summary>
    [Fact]
    public async Task MalformedPayload_FifteenCases_EachDeadLetteredUnderItsReasonNoAlertDeviceOnline()
    {
        // Arrange: one broken payload every 20 s for 5 minutes: each of the 15 cases once.
        await using var session = await ScenarioSession.StartAsync("malformed-payload@1m,device=TH-C01-AP1,every=20s,duration=5m");

        // Act
        await session.Driver.RunUntilAsync(TimeSpan.FromMinutes(7));

        // Assert
        var malformed = session.Driver.Published.Where(m => m.Kind == Ioc.Simulators.Generation.SimMessageKind.Malformed).ToList();
        Assert.Equal(15, malformed.Count);
        var expected = malformed.GroupBy(m => m.ExpectedRejection!.Value.Name()).ToDictionary(g => g.Key, g => (long)g.Count());
        IReadOnlyDictionary<string, long> counts = new Dictionary<string, long>();
        await Ioc.IntegrationTests.Infrastructure.Wait.UntilAsync(
            async () => (counts = await session.Host.DeadLetters.CountByReasonAsync(CancellationToken.None)).Values.Sum() == malformed.Count,
            ScenarioSession.SettleDeadline,
            "every malformed payload dead-lettered");
        Assert.Equal(expected.OrderBy(p => p.Key), counts.OrderBy(p => p.Key));
        var letters = await session.Host.DeadLetters.ListAsync(100, null, CancellationToken.None);
        Assert.All(letters, l => Assert.Contains("/TH-C01-AP1/", l.Topic, StringComparison.Ordinal));
        Assert.Empty(await session.AllAlertsAsync());
        var health = await session.Host.Alerts.ListDeviceHealthAsync(CancellationToken.None);
        Assert.Equal(HealthState.Online, Assert.Single(health, h => h.DeviceId == "TH-C01-AP1").State);
    }
}
