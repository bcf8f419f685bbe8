namespace Ioc.Simulators.Devices;

/// <summary>
/// What the active scenarios impose on one device at one instant. The generator resets it, lets every active
/// scenario apply itself, then hands it to the device's model.
/// </summary>
public sealed class DeviceConditions
{
    /// <summary>The device cannot reach the broker (fibre cut): it publishes nothing.</summary>
    public bool Unreachable { get; set; }

    /// <summary>The device's own cooling unit, or the one serving its row, has failed.</summary>
    public bool CoolingFailed { get; set; }

    /// <summary>Utility power is lost (UPS units run on battery).</summary>
    public bool MainsLost { get; set; }

    /// <summary>Disk filling speed in percentage points per minute (a runaway log).</summary>
    public double DiskFillPerMinute { get; set; }

    /// <summary>Multiplier on traffic throughput (DDoS on the edge).</summary>
    public double TrafficFactor { get; set; } = 1.0;

    /// <summary>Multiplier on packets per second (a flood of small packets).</summary>
    public double PacketFactor { get; set; } = 1.0;

    /// <summary>The monitored uplink interface is down (link flap).</summary>
    public bool LinkDown { get; set; }

    public void Reset()
    {
        Unreachable = false;
        CoolingFailed = false;
        MainsLost = false;
        DiskFillPerMinute = 0;
        TrafficFactor = 1.0;
        PacketFactor = 1.0;
        LinkDown = false;
    }
}
