using Ioc.Simulators.Fleet;

namespace Ioc.Simulators.Devices;

/// <summary>Rack PDU on one feed (A or B, half the rack each): <c>power_kw</c>, <c>current_a</c>, <c>voltage_v</c>, counter <c>energy_kwh</c>.</summary>
public sealed class PduModel : DeviceModel
{
    private readonly DataCenterState _dc;
    private readonly string _rack;
    private double _energyKwh;

    public PduModel(Device device, ulong key, DataCenterState dc)
        : base(device, key)
    {
        _dc = dc;
        _rack = device.Tag("rack") ?? "";
        _energyKwh = Trait("energy0", 5_000, 60_000);
    }

    public override TimeSpan DefaultInterval => TimeSpan.FromSeconds(30);

    protected override byte[] Produce(in SampleContext context)
    {
        var watts = (_dc.RackWatts(_rack, context.At) / 2) * (1 + (0.02 * Gaussian(1, context.Second)));
        var volts = 230 + (1.5 * Gaussian(2, context.Second));
        _energyKwh += watts / 1000 * context.ElapsedSeconds / 3600;
        return context.Writer.BeginTelemetry(context.At)
            .Metric("power_kw", watts / 1000, 3)
            .Metric("current_a", watts / volts, 2)
            .Metric("voltage_v", volts, 1)
            .Metric("energy_kwh", _energyKwh, 2)
            .EndTelemetry(Device.Tags);
    }
}
