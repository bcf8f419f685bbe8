using Ioc.Simulators.Scenarios;

namespace Ioc.Simulators.Hosting;

/// <summary>Schedules scenarios on the hosted simulator's timeline, relative to its current simulated time.</summary>
public sealed class ScenarioRunner(SimulationSession session, TimeProvider time) : IScenarioRunner
{
    public IReadOnlyList<ScenarioDescriptor> Catalog => ScenarioCatalog.All;

    public IReadOnlyList<Scenario> Scheduled => session.Timeline.Scenarios;

    public Scenario Start(ScenarioSpec spec)
    {
        var origin = session.Generator?.Now ?? time.GetUtcNow();
        var scenario = ScenarioCatalog.Create(spec, session.Fleet, origin, session.Options.Seed);
        session.Timeline.Add(scenario);
        return scenario;
    }

    public Scenario Start(string spec) => Start(ScenarioSpec.Parse(spec));
}
