using Ioc.Contract;
using Ioc.Simulators.Fleet;

namespace Ioc.Simulators.Devices;

/// <summary>
/// Switch or router, reporting its monitored uplink (tag <c>interface</c>): <c>if_up</c>, the counters
/// <c>if_in_octets</c>, <c>if_out_octets</c>, <c>if_in_errors</c> (only ever grow), and <c>cpu_pct</c>.
/// Peak throughput depends on the role: access, aggregation, district, department, core.
/// </summary>
public sealed class NetworkDeviceModel : DeviceModel
{
    private readonly double _peakBitsPerSecond;
    private readonly bool _office;
    private double _inOctets;
    private double _outOctets;
    private long _inErrors;

    public NetworkDeviceModel(Device device, ulong key)
        : base(device, key)
    {
        var role = device.Tag("role");
        _office = role == "department";
        var peakMbps = role switch
        {
            "access" => 40,
            "aggregation" => 600,
            "district" => 900,
            "department" => 120,
            "core" => 4_000,
            _ => 100,
        };
        _peakBitsPerSecond = peakMbps * 1e6 * Trait("peak", 0.7, 1.2) * (device.Type == DeviceTypes.Router ? 1.1 : 1.0);
        _inOctets = Trait("in0", 1e10, 5e12);
        _outOctets = _inOctets * Trait("outratio", 0.2, 0.5);
        _inErrors = (long)Trait("err0", 0, 400);
    }

    public override TimeSpan DefaultInterval => TimeSpan.FromSeconds(30);

    protected override byte[] Produce(in SampleContext context)
    {
        var c = context.Conditions;
        var curve = _office ? DailyCurve.Office(context.At) : DailyCurve.Backbone(context.At);
        var bps = c.LinkDown ? 0 : _peakBitsPerSecond * curve * c.TrafficFactor * (1 + (0.1 * Gaussian(1, context.Minute)));
        _inOctets += Math.Max(0, bps / 8 * context.ElapsedSeconds);
        _outOctets += Math.Max(0, bps / 8 * 0.35 * context.ElapsedSeconds);
        if (c.LinkDown)
        {
            _inErrors += 20 + (long)(40 * Uniform(2, context.Second));
        }
        else if (Uniform(3, context.Second) < 0.03)
        {
            _inErrors += 1 + (long)(4 * Uniform(4, context.Second));
        }

        var cpu = Math.Clamp((12 + (35 * curve * Math.Min(c.TrafficFactor, 2.5))) + (3 * Gaussian(5, context.Second)), 1, 100);
        return context.Writer.BeginTelemetry(context.At)
            .Metric("if_up", !c.LinkDown)
            .Metric("if_in_octets", (long)_inOctets)
            .Metric("if_out_octets", (long)_outOctets)
            .Metric("if_in_errors", _inErrors)
            .Metric("cpu_pct", cpu, 1)
            .EndTelemetry(Device.Tags);
    }
}
