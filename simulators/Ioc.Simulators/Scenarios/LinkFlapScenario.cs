using Ioc.Contract.Model;
using Ioc.Simulators.Devices;
using Ioc.Simulators.Fleet;

namespace Ioc.Simulators.Scenarios;

/// <summary>
/// A switch or router uplink flaps: every <see cref="Period"/> it goes down for <see cref="DownFor"/>; each transition
/// raises <c>link_down</c> / <c>link_up</c> (attribute <c>interface</c>); telemetry shows <c>if_up</c> false while down and
/// <c>if_in_errors</c> climbing fast.
/// </summary>
public sealed class LinkFlapScenario(Device device, TimeSpan period, TimeSpan downFor, DateTimeOffset start, TimeSpan duration)
    : Scenario(ScenarioName, start, duration)
{
    public const string ScenarioName = "link-flap";

    public Device Device { get; } = device;

    public TimeSpan Period { get; } = period;

    public TimeSpan DownFor { get; } = downFor;

    public string Interface => Device.Tag("interface") ?? "uplink";

    public override string Target => $"device={Device.Id} interface={Interface} period={Durations.Format(Period)}";

    public bool IsDown(DateTimeOffset at) => IsActive(at) && ((at - Start).Ticks % Period.Ticks) < DownFor.Ticks;

    public override void Apply(Device device, DateTimeOffset at, DeviceConditions conditions)
    {
        if (device.Id == Device.Id && IsDown(at))
        {
            conditions.LinkDown = true;
        }
    }

    public override void Emit(DateTimeOffset from, DateTimeOffset to, ScenarioOutput output)
    {
        foreach (var (_, at) in Ticks(from, to, Period))
        {
            output.Event(Device, at, "link_down", EventSeverity.Major, $"Interface {Interface} changed state to down", [new("interface", Interface)]);
        }

        foreach (var (_, down) in Ticks(from - DownFor, to, Period))
        {
            var up = down + DownFor < End ? down + DownFor : End;
            if (!InWindow(up, from, to))
            {
                continue;
            }

            output.Event(Device, up, "link_up", EventSeverity.Info, $"Interface {Interface} changed state to up", [new("interface", Interface)]);
        }
    }
}
