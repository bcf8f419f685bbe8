using Ioc.Simulators.Scenarios;
using Ioc.Simulators.Tests.Shared;

namespace Ioc.Simulators.Tests.Scenarios;

public sealed class ScenarioCatalogTests
{
    [Fact]
    public void All_NineScenariosEachCreatableWithDefaults()
    {
        // Act
        var created = ScenarioCatalog.All.Select(d => ScenarioCatalog.Create(new ScenarioSpec(d.Name, TimeSpan.Zero, new Dictionary<string, string>()), TestFleets.Default, TestFleets.Start, 42)).ToList();

        // Assert
        Assert.Equal(9, created.Count);
        Assert.Equal(
            ["district-fibre-cut", "crac-failure", "mains-power-loss", "brute-force", "rogue-ap", "ddos", "link-flap", "disk-fill", "malformed-payload"],
            created.Select(s => s.Name));
        Assert.All(created, s => Assert.Equal(TestFleets.Start, s.Start));
    }

    [Fact]
    public void Parse_OffsetAndParameters_Read()
    {
        // Act
        var spec = ScenarioSpec.Parse("crac-failure@90s, row=C ,duration=00:20:00");
        var scenario = (CracFailureScenario)ScenarioCatalog.Create(spec, TestFleets.Default, TestFleets.Start, 42);

        // Assert
        Assert.Equal(TimeSpan.FromSeconds(90), spec.Offset);
        Assert.Equal("C", scenario.Row);
        Assert.Equal(TestFleets.Start.AddSeconds(90), scenario.Start);
        Assert.Equal(TimeSpan.FromMinutes(20), scenario.Duration);
    }

    [Theory]
    [InlineData("volcano", "Unknown scenario 'volcano'")]
    [InlineData("crac-failure,row=Z", "row 'Z' has no cooling unit")]
    [InlineData("district-fibre-cut,district=ha-noi", "district 'ha-noi' is not one of")]
    [InlineData("disk-fill,device=CORE-FW-EDGE", "is a firewall, not a server")]
    [InlineData("ddos,devcie=CORE-FW-EDGE", "unknown parameter(s): devcie")]
    [InlineData("brute-force,duration=-5m", "is not a duration")]
    public void Create_BadSpec_ClearError(string text, string expected)
    {
        // Act
        var ex = Record.Exception(() => ScenarioCatalog.Create(ScenarioSpec.Parse(text), TestFleets.Default, TestFleets.Start, 42));

        // Assert
        Assert.NotNull(ex);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
}
