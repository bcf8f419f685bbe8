using Ioc.Simulators.Fleet;

namespace Ioc.Simulators.Devices;

/// <summary>
/// Firewall: <c>throughput_mbps</c>, <c>pps</c>, <c>sessions</c>, <c>cpu_pct</c>, and the counter <c>blocked_total</c>.
/// The internet-edge firewall carries the province's traffic; a DDoS multiplies throughput and, far more, packets.
/// </summary>
public sealed class FirewallModel : DeviceModel
{
    private readonly double _peakMbps;
    private readonly bool _office;
    private double _blocked;

    public FirewallModel(Device device, ulong key)
        : base(device, key)
    {
        var role = device.Tag("role");
        _office = role == "department";
        _peakMbps = (role switch { "edge" => 2_400, "district" => 450, _ => 90 }) * Trait("peak", 0.8, 1.2);
        _blocked = Trait("blocked0", 1e4, 1e6);
    }

    public override TimeSpan DefaultInterval => TimeSpan.FromSeconds(10);

    protected override byte[] Produce(in SampleContext context)
    {
        var c = context.Conditions;
        var curve = _office ? DailyCurve.Office(context.At) : DailyCurve.Backbone(context.At);
        var mbps = _peakMbps * curve * (1 + (0.08 * Gaussian(1, context.Minute)) + (0.02 * Gaussian(6, context.Second))) * c.TrafficFactor;
        var pps = mbps * 1e6 / 8 / 700 * c.PacketFactor;
        var sessions = (mbps * 42 * (1 + (0.05 * Gaussian(2, context.Minute)))) * (c.PacketFactor > 1 ? 6 : 1);
        var load = (mbps / (_peakMbps * 1.5)) + (pps / (_peakMbps * 1e6 / 8 / 700 * 8));
        _blocked += Math.Max(0, context.ElapsedSeconds * (2 + (mbps / 50)) * c.PacketFactor);
        return context.Writer.BeginTelemetry(context.At)
            .Metric("throughput_mbps", Math.Max(0, mbps), 1)
            .Metric("pps", (long)Math.Max(0, pps))
            .Metric("sessions", (long)Math.Max(0, sessions))
            .Metric("cpu_pct", Math.Clamp((8 + (60 * load)) + (2 * Gaussian(3, context.Second)), 1, 100), 1)
            .Metric("blocked_total", (long)_blocked)
            .EndTelemetry(Device.Tags);
    }
}
