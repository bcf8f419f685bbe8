using Ioc.Simulators.Publishing;

namespace Ioc.Simulators.Hosting;

/// <summary>
/// Section <c>Ioc:Simulators</c>: what the hosted simulator runs. Where it publishes is <c>Ioc:Mqtt</c> (overridable in
/// <c>Ioc:Mqtt:Simulators</c>; its <c>ClientId</c> is the prefix of the devices' client ids, default <c>ioc-sim</c>).
/// </summary>
public sealed class SimulatorOptions
{
    public const string SectionName = "Ioc:Simulators";

    /// <summary>Run the simulated province in this host.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>A fleet file (docs/simulators.md); empty: the default Hải Dương fleet from <see cref="Seed"/>.</summary>
    public string? FleetFile { get; set; }

    public int Seed { get; set; } = 42;

    public ConnectionMode Mode { get; set; } = ConnectionMode.PerDevice;

    /// <summary>Connections in <see cref="ConnectionMode.Multiplexed"/> mode.</summary>
    public int Connections { get; set; } = 4;

    /// <summary>Ceiling on messages per second (token bucket); 0: unbounded.</summary>
    public double RatePerSecond { get; set; } = 5000;

    /// <summary>Multiplies every telemetry interval (0.1: ten times as chatty).</summary>
    public double IntervalScale { get; set; } = 1.0;

    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Start the simulated clock this far in the past: the history is published first, as fast as the rate allows.</summary>
    public TimeSpan Backfill { get; set; } = TimeSpan.Zero;

    /// <summary>Scenarios to schedule, relative to the start: <c>name[@offset][,key=value]…</c> (docs/scenarios.md).</summary>
    public List<string> Scenarios { get; set; } = [];

    /// <summary>Publishes awaiting their PUBACK at once.</summary>
    public int MaxInFlight { get; set; } = 1024;
}
