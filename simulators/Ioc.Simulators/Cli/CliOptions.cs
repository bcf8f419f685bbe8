using System.Globalization;
using Ioc.Mqtt;
using Ioc.Simulators.Publishing;
using Ioc.Simulators.Scenarios;

namespace Ioc.Simulators.Cli;

public enum CliCommand
{
    Run,
    Fleet,
    Sites,
    Scenarios,
    Help,
}

/// <summary>What <c>ioc-sim</c> was asked to do (docs/simulators.md lists every option).</summary>
public sealed record CliOptions
{
    public CliCommand Command { get; init; } = CliCommand.Run;

    public string? FleetFile { get; init; }

    public int Seed { get; init; } = 42;

    public int? ApsPerCommune { get; init; }

    public IReadOnlyList<ScenarioSpec> Scenarios { get; init; } = [];

    public double Rate { get; init; } = 5000;

    public TimeSpan? Duration { get; init; }

    public long? Count { get; init; }

    /// <summary>The one broker options shape; <c>--client-id-prefix</c> sets its <c>ClientId</c> (default <c>ioc-sim</c>).</summary>
    public MqttConnectionOptions Broker { get; init; } = new();

    public ConnectionMode Mode { get; init; } = ConnectionMode.PerDevice;

    public int Connections { get; init; } = 4;

    public double IntervalScale { get; init; } = 1.0;

    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan Backfill { get; init; }

    /// <summary>Simulated start for <c>--dry-run</c> (default: now).</summary>
    public DateTimeOffset? Start { get; init; }

    public bool DryRun { get; init; }

    public bool Quiet { get; init; }

    public int MaxInFlight { get; init; } = 1024;

    public string? Output { get; init; }

    /// <summary>The run ends on its own: with neither --duration nor --count it lasts one minute.</summary>
    public TimeSpan? EffectiveDuration => Duration ?? (Count is null ? TimeSpan.FromMinutes(1) : null);

    public static CliOptions Parse(IReadOnlyList<string> args)
    {
        var options = new CliOptions();
        var i = 0;
        if (args.Count > 0 && !args[0].StartsWith('-'))
        {
            options = options with
            {
                Command = args[0] switch
                {
                    "run" => CliCommand.Run,
                    "fleet" => CliCommand.Fleet,
                    "sites" => CliCommand.Sites,
                    "scenarios" => CliCommand.Scenarios,
                    "help" => CliCommand.Help,
                    _ => throw new FormatException($"Unknown command '{args[0]}' (run, fleet, sites, scenarios, help)."),
                },
            };
            i = 1;
        }

        var scenarios = new List<ScenarioSpec>();
        var broker = options.Broker.Clone();
        for (; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help")
            {
                return options with { Command = CliCommand.Help };
            }

            if (name == "--dry-run")
            {
                options = options with { DryRun = true };
                continue;
            }

            if (name is "-q" or "--quiet")
            {
                options = options with { Quiet = true };
                continue;
            }

            if (i + 1 >= args.Count)
            {
                throw new FormatException($"Option {name} needs a value.");
            }

            var value = args[++i];
            switch (name)
            {
                case "--fleet": options = options with { FleetFile = value }; break;
                case "--seed": options = options with { Seed = Int(name, value, int.MinValue, int.MaxValue) }; break;
                case "--aps-per-commune": options = options with { ApsPerCommune = Int(name, value, 0, 10_000) }; break;
                case "--scenario" or "-s": scenarios.Add(ParseScenario(value)); break;
                case "--rate": options = options with { Rate = Number(name, value, 0, 10_000_000) }; break;
                case "--duration" or "-d": options = options with { Duration = Durations.Parse(value, name) }; break;
                case "--count" or "-n": options = options with { Count = Int(name, value, 1, long.MaxValue) }; break;
                case "--host": broker.Host = value; break;
                case "--port": broker.Port = Int(name, value, 1, 65535); break;
                case "--username" or "-u": broker.Username = value; break;
                case "--password" or "-p": broker.Password = value; break;
                case "--client-id-prefix": broker.ClientId = value; break;
                case "--mode": options = options with { Mode = ParseMode(value) }; break;
                case "--connections": options = options with { Connections = Int(name, value, 1, 1000) }; break;
                case "--interval-scale": options = options with { IntervalScale = Number(name, value, 0.0001, 100) }; break;
                case "--heartbeat": options = options with { Heartbeat = Durations.Parse(value, name) }; break;
                case "--backfill": options = options with { Backfill = Durations.Parse(value, name) }; break;
                case "--start": options = options with { Start = DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) }; break;
                case "--max-in-flight": options = options with { MaxInFlight = Int(name, value, 1, 65535) }; break;
                case "--out" or "-o": options = options with { Output = value }; break;
                default: throw new FormatException($"Unknown option {name}; see ioc-sim help.");
            }
        }

        if (options.Backfill > TimeSpan.FromDays(29))
        {
            throw new FormatException("--backfill must be at most 29d: the contract refuses timestamps older than 30 days.");
        }

        broker.Password ??= Environment.GetEnvironmentVariable("IOC_SIM_PASSWORD");
        if (broker.Validate(key => KeyFlags.GetValueOrDefault(key, key)).FirstOrDefault() is { } problem)
        {
            throw new FormatException(problem);
        }

        return options with { Scenarios = scenarios, Broker = broker };
    }

    /// <summary>The flag that sets each key of the broker options, for messages about them.</summary>
    private static readonly Dictionary<string, string> KeyFlags = new()
    {
        [nameof(MqttConnectionOptions.Host)] = "--host",
        [nameof(MqttConnectionOptions.Port)] = "--port",
        [nameof(MqttConnectionOptions.Username)] = "--username",
        [nameof(MqttConnectionOptions.Password)] = "--password (or IOC_SIM_PASSWORD)",
        [nameof(MqttConnectionOptions.ClientId)] = "--client-id-prefix",
    };

    private static ScenarioSpec ParseScenario(string value)
    {
        var spec = ScenarioSpec.Parse(value);
        return ScenarioCatalog.Find(spec.Name) is null
            ? throw new FormatException($"Unknown scenario '{spec.Name}' (ioc-sim scenarios lists them).")
            : spec;
    }

    private static ConnectionMode ParseMode(string value) => value switch
    {
        "per-device" => ConnectionMode.PerDevice,
        "multiplexed" => ConnectionMode.Multiplexed,
        _ => throw new FormatException($"--mode must be per-device or multiplexed (was '{value}')."),
    };

    private static int Int(string name, string value, int min, int max) => (int)Int(name, value, (long)min, max);

    private static long Int(string name, string value, long min, long max) =>
        long.TryParse(value.Replace("_", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new FormatException($"{name} must be a whole number between {min} and {max} (was '{value}').");

    private static double Number(string name, string value, double min, double max) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new FormatException($"{name} must be a number between {min} and {max} (was '{value}').");
}
