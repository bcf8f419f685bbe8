using Ioc.Simulators.Fleet;
using Ioc.Simulators.Hosting;
using Ioc.Simulators.Publishing;
using Ioc.Simulators.Tests.Shared;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Ioc.Simulators.Tests.Hosting;

[Collection(BrokerCollection.Name)]
public sealed class SimulatorHostingTests
{
    [Fact]
    public async Task AddSimulators_BadOptions_StartFailsNamingEveryKey()
    {
        // Arrange
        using var host = BuildHost(new Dictionary<string, string?>
        {
            ["Ioc:Simulators:RatePerSecond"] = "-1",
            ["Ioc:Simulators:FleetFile"] = "/nonexistent/fleet.json",
            ["Ioc:Simulators:Scenarios:0"] = "volcano@5m",
        });

        // Act
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        // Assert
        Assert.Contains(ex.Failures, f => f.Contains("Ioc:Simulators:RatePerSecond", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("Ioc:Simulators:FleetFile", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("Ioc:Simulators:Scenarios:0", StringComparison.Ordinal) && f.Contains("volcano", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddSimulators_BadBroker_StartFailsNamingTheMqttKeys()
    {
        // Arrange: the broker is the one shape every component reads; the simulators' own section may override it.
        using var host = BuildHost(new Dictionary<string, string?>
        {
            ["Ioc:Mqtt:Port"] = "0",
            ["Ioc:Mqtt:Simulators:Password"] = "secret",
        });

        // Act
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        // Assert
        Assert.Contains(ex.Failures, f => f.StartsWith("Ioc:Mqtt:Port must be between 1 and 65535 (was 0)", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("Ioc:Mqtt:Username must be set when Ioc:Mqtt:Simulators:Password is", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ScenarioTargetNotInFleet_NamesTheScenarioKey()
    {
        // Arrange
        var options = new SimulatorOptions { Scenarios = ["crac-failure,row=B", "district-fibre-cut,district=ha-noi"] };

        // Act
        var errors = SimulatorOptionsValidator.Errors(options).ToList();

        // Assert
        var error = Assert.Single(errors);
        Assert.StartsWith("Ioc:Simulators:Scenarios:1: ", error, StringComparison.Ordinal);
        Assert.Contains("district 'ha-noi'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddSimulators_BrokenFleetFile_StartFailsNamingFleetFile()
    {
        // Arrange
        var path = Path.Combine(Directory.CreateTempSubdirectory("ioc-sim-").FullName, "fleet.json");
        await File.WriteAllTextAsync(path, """{"version":1}""");
        using var host = BuildHost(new Dictionary<string, string?> { ["Ioc:Simulators:FleetFile"] = path });

        // Act
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        // Assert
        Assert.Contains(ex.Failures, f => f.StartsWith("Ioc:Simulators:FleetFile", StringComparison.Ordinal) && f.Contains("either 'spec' or 'sites'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddSimulators_RunningHost_PublishesFleetAndStartsScenariosFromCode()
    {
        // Arrange
        await using var broker = await TestBroker.StartAsync();
        var fleetFile = Path.Combine(Directory.CreateTempSubdirectory("ioc-sim-").FullName, "fleet.json");
        await File.WriteAllTextAsync(fleetFile, FleetFile.SerializeSpec(SmallFleet.Spec, 42));
        using var host = BuildHost(new Dictionary<string, string?>
        {
            ["Ioc:Mqtt:Port"] = broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Ioc:Simulators:FleetFile"] = fleetFile,
            ["Ioc:Simulators:Mode"] = "Multiplexed",
            ["Ioc:Simulators:Connections"] = "2",
            ["Ioc:Simulators:Backfill"] = "00:01:00",
            ["Ioc:Simulators:Scenarios:0"] = "rogue-ap,duration=10m",
        });

        // Act
        await host.StartAsync();
        var fleet = host.Services.GetRequiredService<FleetDefinition>();
        await TestBroker.WaitUntilAsync(() => Task.FromResult(broker.Received.Count(r => r.Topic.EndsWith("/status", StringComparison.Ordinal)) >= fleet.Devices.Count), TimeSpan.FromSeconds(10), "every device online");
        var started = host.Services.GetRequiredService<IScenarioRunner>().Start("brute-force,device=TH-FW01,rate=600,duration=1m");
        await TestBroker.WaitUntilAsync(() => Task.FromResult(broker.Received.Any(r => r.Payload.Contains("auth_failure", StringComparison.Ordinal))), TimeSpan.FromSeconds(10), "auth_failure from the scenario started in code");
        var stats = host.Services.GetRequiredService<SimulatorStats>().Snapshot();
        await host.StopAsync();

        // Assert
        Assert.Equal(SmallFleet.Create().Devices.Count, fleet.Devices.Count);
        Assert.Contains(broker.Received, r => r.Payload.Contains("rogue_ap", StringComparison.Ordinal));
        Assert.Equal(2, host.Services.GetRequiredService<IScenarioRunner>().Scheduled.Count);
        Assert.Equal("brute-force", started.Name);
        Assert.Equal(fleet.Devices.Count, stats.DevicesOnline);
        Assert.Equal(0, stats.Failed);
    }

    private static IHost BuildHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSimulators(builder.Configuration);
        return builder.Build();
    }
}
