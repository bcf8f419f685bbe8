using Ioc.Simulators.Devices;
using Ioc.Simulators.Fleet;

namespace Ioc.Simulators.Scenarios;

/// <summary>
/// The CRAC unit(s) of one data-center row fail: <c>compressor_ok</c> false, a <c>compressor_fault</c> event, and the
/// row's inlet temperatures (env-sensor <c>temp_c</c>, server <c>temp</c>) climb toward 33–45 °C; they fall back after.
/// </summary>
public sealed class CracFailureScenario(string row, DateTimeOffset start, TimeSpan duration) : Scenario(ScenarioName, start, duration)
{
    public const string ScenarioName = "crac-failure";

    public string Row { get; } = row;

    public override string Target => $"row={Row}";

    public override void Apply(Device device, DateTimeOffset at, DeviceConditions conditions)
    {
        if (device.Site == FleetGenerator.DataCenterSite && device.Tag("row") == Row)
        {
            conditions.CoolingFailed = true;
        }
    }
}
