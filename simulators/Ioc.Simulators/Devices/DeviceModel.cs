using Ioc.Simulators.Determinism;
using Ioc.Simulators.Fleet;

namespace Ioc.Simulators.Devices;

/// <summary>
/// The behaviour of one device: turns simulated time and scenario conditions into a telemetry payload.
/// Models never read the wall clock; their only state is what a real device integrates (counters, temperature,
/// battery charge), advanced by the elapsed simulated time between samples.
/// </summary>
public abstract class DeviceModel
{
    private DateTimeOffset? _previous;

    protected DeviceModel(Device device, ulong key)
    {
        Device = device;
        Key = key;
    }

    public Device Device { get; }

    /// <summary>The device's noise key (seed and device id hashed).</summary>
    public ulong Key { get; }

    /// <summary>How often this kind of device reports before <c>IntervalScale</c>.</summary>
    public abstract TimeSpan DefaultInterval { get; }

    public byte[] Sample(DateTimeOffset at, DeviceConditions conditions, PayloadWriter writer, List<ModelEvent> events)
    {
        var elapsed = _previous is { } previous ? Math.Max(0, (at - previous).TotalSeconds) : 0;
        _previous = at;
        return Produce(new SampleContext(at, elapsed, conditions, writer, events));
    }

    protected abstract byte[] Produce(in SampleContext context);

    /// <summary>A per-device constant in [min, max) (capacity, baseline): the device's personality.</summary>
    protected double Trait(string name, double min, double max) => min + ((max - min) * StableHash.Unit(StableHash.Combine(Key, StableHash.Of(name))));

    protected double Gaussian(ulong signal, long step) => Noise.Gaussian(Key, signal, step);

    protected double Uniform(ulong signal, long step) => Noise.Unit(Key, signal, step);

    /// <summary>Moves <paramref name="current"/> toward <paramref name="target"/> with time constant <paramref name="tauSeconds"/> (first-order lag).</summary>
    protected static double Approach(double current, double target, double elapsedSeconds, double tauSeconds) =>
        target + ((current - target) * Math.Exp(-elapsedSeconds / tauSeconds));
}
