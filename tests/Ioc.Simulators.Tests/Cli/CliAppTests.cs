using Ioc.Simulators.Cli;
using Ioc.Simulators.Fleet;
using Ioc.Simulators.Publishing;
using Ioc.Simulators.Tests.Shared;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ioc.Simulators.Tests.Cli;

public sealed class CliAppTests
{
    [Fact]
    public void Parse_FullCommandLine_EveryOptionRead()
    {
        // Act
        var options = CliOptions.Parse(
            ["run", "--seed", "7", "--scenario", "crac-failure@2m,row=C", "-s", "ddos", "--rate", "2500", "--count", "10000", "--host", "10.0.0.5",
             "--port", "1884", "-u", "sim", "-p", "secret", "--mode", "multiplexed", "--connections", "8", "--interval-scale", "0.5", "--backfill", "1h"]);

        // Assert
        Assert.Equal(CliCommand.Run, options.Command);
        Assert.Equal(7, options.Seed);
        Assert.Equal(["crac-failure", "ddos"], options.Scenarios.Select(s => s.Name));
        Assert.Equal(TimeSpan.FromMinutes(2), options.Scenarios[0].Offset);
        Assert.Equal((2500.0, 10000L), (options.Rate, options.Count!.Value));
        Assert.Equal(("10.0.0.5", 1884, "sim", "secret", (string?)null), (options.Broker.Host, options.Broker.Port, options.Broker.Username, options.Broker.Password, options.Broker.ClientId));
        Assert.Equal((ConnectionMode.Multiplexed, 8), (options.Mode, options.Connections));
        Assert.Equal((0.5, TimeSpan.FromHours(1)), (options.IntervalScale, options.Backfill));
        Assert.Null(options.EffectiveDuration);
    }

    [Fact]
    public void Parse_NoLimit_EndsAfterOneMinute() =>
        Assert.Equal(TimeSpan.FromMinutes(1), CliOptions.Parse([]).EffectiveDuration);

    [Theory]
    [InlineData("--rate", "fast")]
    [InlineData("--mode", "carrier-pigeon")]
    [InlineData("--scenario", "volcano")]
    [InlineData("--bogus", "1")]
    public async Task RunAsync_BadOption_UsageErrorOnStandardError(string name, string value)
    {
        // Arrange
        var (app, output, error) = App();

        // Act
        var code = await app.RunAsync([name, value], CancellationToken.None);

        // Assert
        Assert.Equal(CliApp.Usage, code);
        Assert.StartsWith("ioc-sim: ", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(output.ToString());
    }

    [Fact]
    public async Task RunAsync_DryRunWithCount_PrintsThatManyValidMessages()
    {
        // Arrange
        var (app, output, _) = App();

        // Act
        var code = await app.RunAsync(["run", "--dry-run", "--count", "200", "--start", "2026-11-24T12:00:00Z"], CancellationToken.None);

        // Assert
        Assert.Equal(CliApp.Ok, code);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(200, lines.Length);
        Assert.All(lines, l => Assert.Contains(" ioc/v1/", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_FleetCommand_WritesLoadableFleetFile()
    {
        // Arrange
        var (app, _, error) = App();
        var path = Path.Combine(Directory.CreateTempSubdirectory("ioc-sim-").FullName, "fleet.json");

        // Act
        var code = await app.RunAsync(["fleet", "--seed", "42", "--out", path], CancellationToken.None);

        // Assert
        Assert.Equal(CliApp.Ok, code);
        Assert.Equal(FleetFile.Serialize(TestFleets.Default), FleetFile.Serialize(FleetFile.Load(path, 0)));
        Assert.Contains("268 sites", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_BrokerDown_ExitsWithBrokerUnreachable()
    {
        // Arrange
        var (app, _, error) = App();

        // Act
        var code = await app.RunAsync(["--port", "1", "--mode", "multiplexed", "--connections", "1"], CancellationToken.None);

        // Assert
        Assert.Equal(CliApp.BrokerUnreachable, code);
        Assert.Contains("cannot connect to 127.0.0.1:1", error.ToString(), StringComparison.Ordinal);
    }

    internal static (CliApp App, StringWriter Output, StringWriter Error) App()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        return (new CliApp(output, error, TimeProvider.System, NullLoggerFactory.Instance), output, error);
    }
}

[Collection(BrokerCollection.Name)]
public sealed class CliBrokerTests
{
    [Fact]
    public async Task RunAsync_AgainstBroker_SendsCountAndReportsProgress()
    {
        // Arrange
        await using var broker = await TestBroker.StartAsync();
        var (app, _, error) = CliAppTests.App();

        // Act
        var code = await app.RunAsync(
            ["--port", broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--mode", "multiplexed", "--backfill", "10m", "--count", "3000", "--rate", "1500"],
            CancellationToken.None);

        // Assert
        Assert.Equal(CliApp.Ok, code);
        Assert.Equal(3000, broker.Received.Count);
        Assert.Contains("] sent ", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("done: 3000 sent, 0 failed", error.ToString(), StringComparison.Ordinal);
    }
}
