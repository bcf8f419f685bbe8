using Ioc.Contract;
using Ioc.Simulators.Fleet;
using Ioc.Simulators.Scenarios;
using Microsoft.Extensions.Options;

namespace Ioc.Simulators.Hosting;

/// <summary>Checks <see cref="SimulatorOptions"/> at start-up and reports every problem at once, each naming its key.</summary>
public sealed class SimulatorOptionsValidator : IValidateOptions<SimulatorOptions>
{
    private const string S = SimulatorOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, SimulatorOptions options)
    {
        var errors = Errors(options).ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static IEnumerable<string> Errors(SimulatorOptions o)
    {
        if (!string.IsNullOrWhiteSpace(o.FleetFile) && !File.Exists(o.FleetFile))
        {
            yield return $"{S}:FleetFile '{o.FleetFile}' does not exist; leave it empty for the default Hải Dương fleet.";
        }

        if (o.Connections is < 1 or > 1000)
        {
            yield return $"{S}:Connections must be between 1 and 1000 (was {o.Connections}).";
        }

        if (o.RatePerSecond < 0 || double.IsNaN(o.RatePerSecond) || double.IsInfinity(o.RatePerSecond))
        {
            yield return $"{S}:RatePerSecond must be 0 (unbounded) or a positive number (was {o.RatePerSecond}).";
        }

        if (o.IntervalScale is <= 0 or > 100 || double.IsNaN(o.IntervalScale))
        {
            yield return $"{S}:IntervalScale must be greater than 0 and at most 100 (was {o.IntervalScale}).";
        }

        if (o.HeartbeatInterval < TimeSpan.FromSeconds(1) || o.HeartbeatInterval > TimeSpan.FromDays(1))
        {
            yield return $"{S}:HeartbeatInterval must be between 00:00:01 and 1.00:00:00 (was {o.HeartbeatInterval}).";
        }

        if (o.Backfill < TimeSpan.Zero || o.Backfill > TimeSpan.FromDays(29))
        {
            yield return $"{S}:Backfill must be between 0 and 29 days: the contract refuses timestamps older than 30 days (was {o.Backfill}).";
        }

        if (o.MaxInFlight is < 1 or > 65535)
        {
            yield return $"{S}:MaxInFlight must be between 1 and 65535 (was {o.MaxInFlight}).";
        }

        var fleet = LoadFleet(o, out var fleetError);
        if (fleetError is not null)
        {
            yield return fleetError;
        }

        for (var i = 0; i < o.Scenarios.Count; i++)
        {
            string? problem = null;
            try
            {
                var spec = ScenarioSpec.Parse(o.Scenarios[i]);
                if (ScenarioCatalog.Find(spec.Name) is null)
                {
                    problem = $"unknown scenario '{spec.Name}' (known: {string.Join(", ", ScenarioCatalog.All.Select(d => d.Name))})";
                }
                else if (fleet is not null)
                {
                    ScenarioCatalog.Create(spec, fleet, DateTimeOffset.UnixEpoch, o.Seed);
                }
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException)
            {
                problem = ex.Message;
            }

            if (problem is not null)
            {
                yield return $"{S}:Scenarios:{i}: {problem}";
            }
        }
    }

    /// <summary>Loads the fleet so that scenario targets can be checked against it; a broken fleet file is reported by key.</summary>
    private static FleetDefinition? LoadFleet(SimulatorOptions o, out string? error)
    {
        error = null;
        if (o.Scenarios.Count == 0 && string.IsNullOrWhiteSpace(o.FleetFile))
        {
            return null;
        }

        if (!string.IsNullOrWhiteSpace(o.FleetFile) && !File.Exists(o.FleetFile))
        {
            return null;
        }

        try
        {
            return FleetFile.LoadOrDefault(o.FleetFile, o.Seed);
        }
        catch (Exception ex) when (ex is InvalidDataException or System.Text.Json.JsonException or ArgumentException or IOException)
        {
            error = $"{S}:FleetFile '{o.FleetFile}' cannot be used: {ex.Message}";
            return null;
        }
    }
}
