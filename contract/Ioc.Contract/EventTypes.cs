namespace Ioc.Contract;

/// <summary>
/// Event types with a meaning across Ioc. <see cref="Security"/> are the ones the SOC counts as security events (the wall
/// screen's "security events in the last hour"); facility events such as <c>compressor_fault</c> or <c>ups_on_battery</c>
/// are events too, but not security events.
/// </summary>
public static class EventTypes
{
    public const string AuthFailure = "auth_failure";
    public const string RogueAp = "rogue_ap";
    public const string DdosSuspected = "ddos_suspected";
    public const string DeviceFlooding = "device_flooding";
    public const string TrafficAnomaly = "traffic_anomaly";

    public static IReadOnlySet<string> Security { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        AuthFailure, RogueAp, DdosSuspected, DeviceFlooding, TrafficAnomaly,
    };
}
