using Ioc.Contract.Model;
using Ioc.Simulators.Fleet;

namespace Ioc.Simulators.Devices;

/// <summary>
/// UPS: <c>on_battery</c>, <c>battery_pct</c>, <c>runtime_min</c>, <c>load_pct</c>, <c>input_voltage</c>,
/// <c>output_voltage</c>, <c>battery_temp_c</c>. On mains loss the battery drains at a speed set by the load
/// (12 minutes of autonomy at full load), then recharges at 0.5 %/min. Raises <c>ups_on_battery</c>,
/// <c>ups_battery_low</c> (below 25 %) and <c>ups_on_mains</c>.
/// </summary>
public sealed class UpsModel : DeviceModel
{
    public const double LowBatteryPercent = 25;
    private const double FullLoadAutonomyMinutes = 12;
    private readonly DataCenterState _dc;
    private double _battery = 100;
    private bool _onBattery;
    private bool _lowRaised;

    public UpsModel(Device device, ulong key, DataCenterState dc)
        : base(device, key) => _dc = dc;

    public override TimeSpan DefaultInterval => TimeSpan.FromSeconds(30);

    protected override byte[] Produce(in SampleContext context)
    {
        var mainsLost = context.Conditions.MainsLost;
        var load = Math.Clamp(100 * _dc.TotalWatts(context.At) / (_dc.UpsUnits * DataCenterState.UpsCapacityWatts) * Trait("share", 0.92, 1.08), 1, 100);
        var minutes = context.ElapsedSeconds / 60;
        if (mainsLost)
        {
            _battery = Math.Max(0, _battery - (minutes * 100 / (FullLoadAutonomyMinutes * 100 / load)));
        }
        else
        {
            _battery = Math.Min(100, _battery + (minutes * 0.5));
        }

        if (mainsLost != _onBattery)
        {
            _onBattery = mainsLost;
            context.Events.Add(mainsLost
                ? new ModelEvent("ups_on_battery", EventSeverity.Major, "Utility power lost; UPS running on battery", [new("battery_pct", Format(_battery))])
                : new ModelEvent("ups_on_mains", EventSeverity.Info, "Utility power restored; UPS back on mains", [new("battery_pct", Format(_battery))]));
        }

        if (_onBattery && !_lowRaised && _battery < LowBatteryPercent)
        {
            _lowRaised = true;
            context.Events.Add(new ModelEvent("ups_battery_low", EventSeverity.Critical, "UPS battery below 25 %", [new("battery_pct", Format(_battery))]));
        }
        else if (!_onBattery)
        {
            _lowRaised = false;
        }

        var runtime = Math.Min(240, _battery / 100 * FullLoadAutonomyMinutes * 100 / load);
        return context.Writer.BeginTelemetry(context.At)
            .Metric("on_battery", _onBattery)
            .Metric("battery_pct", _battery, 1)
            .Metric("runtime_min", runtime, 1)
            .Metric("load_pct", load, 1)
            .Metric("input_voltage", mainsLost ? 0 : 229 + (2.5 * Gaussian(1, context.Second)), 1)
            .Metric("output_voltage", 230 + (0.4 * Gaussian(2, context.Second)), 1)
            .Metric("battery_temp_c", 24 + (_onBattery ? 3 : 0) + (0.3 * Gaussian(3, context.Minute)), 1)
            .EndTelemetry(Device.Tags);
    }

    private static string Format(double value) => Math.Round(value, 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
