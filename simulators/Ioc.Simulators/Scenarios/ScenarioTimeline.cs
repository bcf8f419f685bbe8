namespace Ioc.Simulators.Scenarios;

/// <summary>The scenarios of a run. Thread-safe: scenarios may be added from code while the generator runs.</summary>
public sealed class ScenarioTimeline
{
    private readonly object _gate = new();
    private Scenario[] _scenarios;

    public ScenarioTimeline(IEnumerable<Scenario>? scenarios = null) => _scenarios = scenarios?.ToArray() ?? [];

    public event Action<Scenario>? Added;

    public IReadOnlyList<Scenario> Scenarios => Volatile.Read(ref _scenarios);

    public void Add(Scenario scenario)
    {
        lock (_gate)
        {
            _scenarios = [.. _scenarios, scenario];
        }

        Added?.Invoke(scenario);
    }
}
