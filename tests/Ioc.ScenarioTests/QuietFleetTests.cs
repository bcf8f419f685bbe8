using Ioc.ScenarioTests.Shared;

namespace Ioc.ScenarioTests;

/// <summary>The control: the small fleet without any scenario, through broker, collector and engine, raises nothing.</summary>
public sealed class QuietFleetTests
{
    [Fact]
    public async Task NoScenario_FifteenSimulatedMinutes_RaisesNoAlert()
    {
        // Arrange
        await using var session = await ScenarioSession.StartAsync();

        // Act
        await session.Driver.RunUntilAsync(TimeSpan.FromMinutes(15));

        // Assert
        Assert.Empty(AlertAssert.Keys(await session.AllAlertsAsync()));
        Assert.Equal(0, session.Host.Snapshot.Rejected);
        Assert.True(session.Host.Engine.Devices.Count >= ScenarioFleet.Fleet.Devices.Count, "every device known to the engine");
    }
}
