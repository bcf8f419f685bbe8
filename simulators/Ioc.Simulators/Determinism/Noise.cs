namespace Ioc.Simulators.Determinism;

/// <summary>
/// Order-independent noise: a value depends only on (device key, signal, time step), never on how many values were
/// drawn before, so a run started at an offset sees the same noise as a run that reached that instant.
/// </summary>
public static class Noise
{
    /// <summary>Uniform in [-1, 1).</summary>
    public static double Signed(ulong deviceKey, ulong signal, long step) =>
        (2.0 * StableHash.Unit(StableHash.Combine(deviceKey, signal, (ulong)step))) - 1.0;

    /// <summary>Uniform in [0, 1).</summary>
    public static double Unit(ulong deviceKey, ulong signal, long step) =>
        StableHash.Unit(StableHash.Combine(deviceKey, signal, (ulong)step));

    /// <summary>Roughly normal with mean 0 and standard deviation 1 (sum of four uniforms).</summary>
    public static double Gaussian(ulong deviceKey, ulong signal, long step)
    {
        var h = StableHash.Combine(deviceKey, signal, (ulong)step);
        var sum = 0.0;
        for (var i = 0; i < 4; i++)
        {
            sum += StableHash.Unit(h);
            h = StableHash.Mix(h);
        }

        return (sum - 2.0) * 1.732;
    }
}
