namespace Ioc.Simulators.Devices;

/// <summary>Everything a model needs for one sample: the instant, the seconds since its previous sample, conditions, output.</summary>
public readonly record struct SampleContext(
    DateTimeOffset At,
    double ElapsedSeconds,
    DeviceConditions Conditions,
    PayloadWriter Writer,
    List<ModelEvent> Events)
{
    /// <summary>The noise step: one per minute, so values drift smoothly between samples.</summary>
    public long Minute => At.ToUnixTimeSeconds() / 60;

    public long Second => At.ToUnixTimeSeconds();
}
