using Ioc.Simulators.Devices;
using Ioc.Simulators.Fleet;

namespace Ioc.Simulators.Scenarios;

/// <summary>
/// A scripted incident: during [<see cref="Start"/>, <see cref="End"/>) it bends the conditions of the devices it
/// touches (<see cref="Apply"/>) and may send messages of its own (<see cref="Emit"/>). Deterministic: everything is
/// a function of its parameters, the seed and simulated time.
/// </summary>
public abstract class Scenario
{
    protected Scenario(string name, DateTimeOffset start, TimeSpan duration)
    {
        Name = name;
        Start = start;
        Duration = duration;
    }

    public string Name { get; }

    public DateTimeOffset Start { get; }

    public TimeSpan Duration { get; }

    public DateTimeOffset End => Start + Duration;

    /// <summary>How long after <see cref="End"/> the scenario may still emit (recovery messages, wills).</summary>
    public virtual TimeSpan Tail => TimeSpan.FromMinutes(5);

    /// <summary>One line naming the target and parameters (for progress output and the dashboard).</summary>
    public abstract string Target { get; }

    public bool IsActive(DateTimeOffset at) => at >= Start && at < End;

    /// <summary>Called for each device sample while the scenario is active.</summary>
    public virtual void Apply(Device device, DateTimeOffset at, DeviceConditions conditions)
    {
    }

    /// <summary>Adds the scenario's own messages whose time falls in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public virtual void Emit(DateTimeOffset from, DateTimeOffset to, ScenarioOutput output)
    {
    }

    public override string ToString() => $"{Name} {Target} from {Start:u} for {Duration}";

    /// <summary>The instants Start + k·period (k ≥ 0) before End that fall in [from, to).</summary>
    protected IEnumerable<(long Index, DateTimeOffset At)> Ticks(DateTimeOffset from, DateTimeOffset to, TimeSpan period)
    {
        var first = Math.Max(0, (long)Math.Ceiling((from - Start).Ticks / (double)period.Ticks));
        for (var k = first; ; k++)
        {
            var at = Start + (period * k);
            if (at >= to || at >= End)
            {
                yield break;
            }

            if (at >= from)
            {
                yield return (k, at);
            }
        }
    }

    protected static bool InWindow(DateTimeOffset at, DateTimeOffset from, DateTimeOffset to) => at >= from && at < to;
}
