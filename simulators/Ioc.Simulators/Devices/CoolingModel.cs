using Ioc.Contract.Model;
using Ioc.Simulators.Fleet;

namespace Ioc.Simulators.Devices;

/// <summary>
/// In-row CRAC unit: <c>supply_temp_c</c>, <c>return_temp_c</c>, <c>setpoint_c</c>, <c>humidity_pct</c>,
/// <c>cooling_kw</c>, <c>fan_ok</c>, <c>compressor_ok</c>. Raises <c>compressor_fault</c> and <c>compressor_restored</c>.
/// </summary>
public sealed class CoolingModel : DeviceModel
{
    private readonly DataCenterState _dc;
    private readonly string _row;
    private bool _failed;

    public CoolingModel(Device device, ulong key, DataCenterState dc)
        : base(device, key)
    {
        _dc = dc;
        _row = device.Tag("row") ?? "A";
    }

    public override TimeSpan DefaultInterval => TimeSpan.FromSeconds(30);

    protected override byte[] Produce(in SampleContext context)
    {
        var failed = context.Conditions.CoolingFailed;
        if (failed != _failed)
        {
            _failed = failed;
            context.Events.Add(failed
                ? new ModelEvent("compressor_fault", EventSeverity.Critical, "Compressor tripped on high head pressure", [new("row", _row)])
                : new ModelEvent("compressor_restored", EventSeverity.Info, "Compressor running again", [new("row", _row)]));
        }

        var util = _dc.RowUtilization(_row, context.At);
        var thermal = _dc.Row(_row);
        thermal.Advance(context.At, failed, util);
        return context.Writer.BeginTelemetry(context.At)
            .Metric("supply_temp_c", thermal.Supply + (0.2 * Gaussian(1, context.Second)), 1)
            .Metric("return_temp_c", thermal.Return + (0.3 * Gaussian(2, context.Second)), 1)
            .Metric("setpoint_c", 18.0, 1)
            .Metric("humidity_pct", 45 + (2 * Gaussian(3, context.Minute)), 1)
            .Metric("cooling_kw", failed ? 0 : _dc.RowUtilization(_row, context.At) * 40 + 8, 1)
            .Metric("fan_ok", true)
            .Metric("compressor_ok", !failed)
            .EndTelemetry(Device.Tags);
    }
}
