using Ioc.Contract;
using Ioc.Simulators.Devices;
using Ioc.Simulators.Fleet;

namespace Ioc.Simulators.Scenarios;

/// <summary>
/// Utility power to the data center is lost: every UPS goes <c>on_battery</c> (event <c>ups_on_battery</c>),
/// <c>input_voltage</c> drops to 0, <c>battery_pct</c> and <c>runtime_min</c> fall (event <c>ups_battery_low</c> below
/// 25 %); on recovery <c>ups_on_mains</c> and the battery recharges. Cooling is on the standby generator.
/// </summary>
public sealed class MainsPowerLossScenario(DateTimeOffset start, TimeSpan duration) : Scenario(ScenarioName, start, duration)
{
    public const string ScenarioName = "mains-power-loss";

    public override string Target => "site=dc-tinh";

    public override void Apply(Device device, DateTimeOffset at, DeviceConditions conditions)
    {
        if (device.Type == DeviceTypes.Ups)
        {
            conditions.MainsLost = true;
        }
    }
}
