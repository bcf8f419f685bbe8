using Ioc.Simulators.Fleet;
using Ioc.Simulators.Generation;
using Ioc.Simulators.Publishing;
using Ioc.Simulators.Scenarios;
using Microsoft.Extensions.Options;

namespace Ioc.Simulators.Hosting;

/// <summary>The state of the hosted simulator shared by its services: fleet, scenario timeline, statistics, generator.</summary>
public sealed class SimulationSession
{
    private readonly Lazy<FleetDefinition> _fleet;
    private MessageGenerator? _generator;

    public SimulationSession(IOptions<SimulatorOptions> options)
    {
        Options = options.Value;
        _fleet = new Lazy<FleetDefinition>(() => FleetFile.LoadOrDefault(Options.FleetFile, Options.Seed));
    }

    public SimulatorOptions Options { get; }

    public FleetDefinition Fleet => _fleet.Value;

    public ScenarioTimeline Timeline { get; } = new();

    public SimulatorStats Stats { get; } = new();

    /// <summary>The running generator, once the hosted service has started.</summary>
    public MessageGenerator? Generator => Volatile.Read(ref _generator);

    /// <summary>Creates the generator starting at <paramref name="start"/> and schedules the configured scenarios.</summary>
    public MessageGenerator CreateGenerator(DateTimeOffset start)
    {
        foreach (var text in Options.Scenarios)
        {
            Timeline.Add(ScenarioCatalog.Create(ScenarioSpec.Parse(text), Fleet, start, Options.Seed));
        }

        var generator = new MessageGenerator(
            Fleet,
            new SimulationSettings { Seed = Options.Seed, Start = start, IntervalScale = Options.IntervalScale, HeartbeatInterval = Options.HeartbeatInterval },
            Timeline);
        Stats.Reset(Fleet.Devices.Count);
        Volatile.Write(ref _generator, generator);
        return generator;
    }
}
