using Ioc.Simulators.Fleet;

namespace Ioc.Simulators.Devices;

/// <summary>
/// Rack environment sensor (cold-aisle inlet): <c>temp_c</c>, <c>humidity_pct</c>, and the contacts <c>water_leak</c>,
/// <c>smoke</c>, <c>door_open</c>. Temperature follows the row's load and cooling; relative humidity falls as the air
/// warms; the rack door opens now and then in working hours (a technician's visit).
/// </summary>
public sealed class EnvSensorModel : DeviceModel
{
    private readonly DataCenterState _dc;
    private readonly string _row;

    public EnvSensorModel(Device device, ulong key, DataCenterState dc)
        : base(device, key)
    {
        _dc = dc;
        _row = device.Tag("row") ?? "A";
    }

    public override TimeSpan DefaultInterval => TimeSpan.FromSeconds(30);

    protected override byte[] Produce(in SampleContext context)
    {
        var thermal = _dc.Row(_row);
        thermal.Advance(context.At, context.Conditions.CoolingFailed, _dc.RowUtilization(_row, context.At));
        var temp = thermal.Inlet + Trait("offset", -0.6, 0.9) + (0.15 * Gaussian(1, context.Second));
        var humidity = Math.Clamp(Trait("rh", 42, 50) - (1.6 * (temp - 22)) + (0.5 * Gaussian(2, context.Minute)), 10, 90);
        var hour = DailyCurve.LocalHour(context.At);
        var visitSlot = context.At.ToUnixTimeSeconds() / 600;
        var doorOpen = hour is >= 8 and < 17 && !DailyCurve.IsWeekend(context.At) && Uniform(3, visitSlot) < 0.004;
        return context.Writer.BeginTelemetry(context.At)
            .Metric("temp_c", temp, 1)
            .Metric("humidity_pct", humidity, 1)
            .Metric("water_leak", false)
            .Metric("smoke", false)
            .Metric("door_open", doorOpen)
            .EndTelemetry(Device.Tags);
    }
}
