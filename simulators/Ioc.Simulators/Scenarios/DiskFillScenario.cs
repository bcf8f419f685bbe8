using Ioc.Simulators.Devices;
using Ioc.Simulators.Fleet;

namespace Ioc.Simulators.Scenarios;

/// <summary>
/// A runaway log fills a server's root file system: the Telegraf <c>disk</c> line's <c>used_percent</c> rises by
/// <see cref="PercentPerMinute"/> points a minute up to 100 (<c>free</c> falls to 0); after the end an operator
/// clears it and it falls back to its usual level within minutes.
/// </summary>
public sealed class DiskFillScenario(Device server, double percentPerMinute, DateTimeOffset start, TimeSpan duration)
    : Scenario(ScenarioName, start, duration)
{
    public const string ScenarioName = "disk-fill";

    public Device Server { get; } = server;

    public double PercentPerMinute { get; } = percentPerMinute;

    public override string Target => $"device={Server.Id} rate={PercentPerMinute}%/min";

    public override void Apply(Device device, DateTimeOffset at, DeviceConditions conditions)
    {
        if (device.Id == Server.Id)
        {
            conditions.DiskFillPerMinute = PercentPerMinute;
        }
    }
}
