namespace Ioc.Simulators.Publishing;

/// <summary>
/// The log category of the simulated devices' own broker connections (one per device in per-device mode: 1,519 for the
/// Hải Dương fleet). Hosts set it to Warning so that a start does not print a line per device; the simulator's progress
/// and its statistics say how many are connected.
/// </summary>
public static class SimulatedDevices
{
    public const string LogCategory = "Ioc.Simulators.Devices";
}
