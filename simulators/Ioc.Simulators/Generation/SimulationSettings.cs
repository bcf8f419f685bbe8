namespace Ioc.Simulators.Generation;

/// <summary>What the pure generator needs besides the fleet and the scenarios.</summary>
public sealed record SimulationSettings
{
    /// <summary>Seeds every device's personality and noise (and, in <c>FleetGenerator</c>, the fleet itself).</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Simulated instant of the first step (truncated to the second).</summary>
    public DateTimeOffset Start { get; init; }

    /// <summary>Multiplies every device type's telemetry interval (0.1 → ten times as many messages); minimum interval is 1 s.</summary>
    public double IntervalScale { get; init; } = 1.0;

    /// <summary>How often each device re-publishes its retained <c>online</c> status.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromMinutes(5);

    public IEnumerable<string> Validate()
    {
        if (IntervalScale is <= 0 or > 100 || double.IsNaN(IntervalScale))
        {
            yield return "IntervalScale must be greater than 0 and at most 100.";
        }

        if (HeartbeatInterval < TimeSpan.FromSeconds(1) || HeartbeatInterval > TimeSpan.FromDays(1))
        {
            yield return "HeartbeatInterval must be between 1 second and 1 day.";
        }
    }
}
