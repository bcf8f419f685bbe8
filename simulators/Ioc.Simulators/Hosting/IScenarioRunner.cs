using Ioc.Simulators.Scenarios;

namespace Ioc.Simulators.Hosting;

/// <summary>Starts scenarios on the running simulator from code (the dashboard's demo buttons, tests).</summary>
public interface IScenarioRunner
{
    /// <summary>The scenarios that can be started.</summary>
    IReadOnlyList<ScenarioDescriptor> Catalog { get; }

    /// <summary>Every scenario scheduled in this run, past and future.</summary>
    IReadOnlyList<Scenario> Scheduled { get; }

    /// <summary>Schedules a scenario <see cref="ScenarioSpec.Offset"/> after the simulator's current time.</summary>
    /// <exception cref="ArgumentException">Unknown scenario, bad parameter or a target not in the fleet.</exception>
    Scenario Start(ScenarioSpec spec);

    /// <summary>Same, from the text form <c>name[@offset][,key=value]…</c>.</summary>
    Scenario Start(string spec);
}
