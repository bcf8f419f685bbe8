using Ioc.Contract;

namespace Ioc.Contract.Model;

public enum DeviceState
{
    Online,
    Offline,
}

/// <summary>A security or operational event a device reported (channel <c>event</c>).</summary>
public sealed record DeviceEvent(
    DeviceAddress Device,
    DateTimeOffset Timestamp,
    string Type,
    EventSeverity Severity,
    string Message,
    IReadOnlyDictionary<string, string> Attributes);

/// <summary>A device's reported state (channel <c>status</c>, retained, also its last will).</summary>
public sealed record DeviceStatus(DeviceAddress Device, DateTimeOffset Timestamp, DeviceState State);

public enum EventSeverity
{
    Info,
    Warning,
    Minor,
    Major,
    Critical,
}
