using Ioc.Simulators.Fleet;

namespace Ioc.Simulators.Devices;

/// <summary>
/// Public (or office) Wi-Fi access point: <c>clients</c> follow the daily curve, <c>rx_bytes</c>/<c>tx_bytes</c> are
/// counters that only grow, <c>cpu_pct</c> and <c>channel_util_pct</c> follow the client load.
/// </summary>
public sealed class WifiApModel : DeviceModel
{
    private readonly double _capacity;
    private readonly bool _office;
    private double _rx;
    private double _tx;

    public WifiApModel(Device device, ulong key)
        : base(device, key)
    {
        _office = device.Tag("role") == "office";
        _capacity = Trait("capacity", 18, 64);
        _rx = Trait("rx0", 1e9, 9e10);
        _tx = _rx * Trait("txratio", 3, 6);
    }

    public override TimeSpan DefaultInterval => TimeSpan.FromSeconds(60);

    protected override byte[] Produce(in SampleContext context)
    {
        var curve = _office ? DailyCurve.Office(context.At) : DailyCurve.PublicWifi(context.At);
        var clients = Math.Max(0, Math.Round(_capacity * curve * (1 + (0.12 * Gaussian(1, context.Minute))) + (0.6 * Gaussian(2, context.Minute))));
        var load = clients / _capacity;
        var perClientDown = 90_000 * (1 + (0.3 * Gaussian(3, context.Minute)));
        _tx += Math.Max(0, clients * perClientDown * context.ElapsedSeconds);
        _rx += Math.Max(0, clients * perClientDown * 0.22 * context.ElapsedSeconds);
        return context.Writer.BeginTelemetry(context.At)
            .Metric("clients", (long)clients)
            .Metric("rx_bytes", (long)_rx)
            .Metric("tx_bytes", (long)_tx)
            .Metric("cpu_pct", Math.Clamp(6 + (38 * load) + (2 * Gaussian(4, context.Second)), 1, 100), 1)
            .Metric("channel_util_pct", Math.Clamp(12 + (68 * load) + (4 * Gaussian(5, context.Second)), 1, 100), 1)
            .EndTelemetry(Device.Tags);
    }
}
