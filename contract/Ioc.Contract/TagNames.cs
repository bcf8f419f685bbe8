namespace Ioc.Contract;

/// <summary>Tag keys the collector sets from the topic; payloads may not set them.</summary>
public static class TagNames
{
    public const string Site = "site";
    public const string Device = "device";
    public const string DeviceType = "device_type";
    public const string EventType = "type";
    public const string Severity = "severity";

    public static bool IsReserved(string key) => key is Site or Device or DeviceType;
}

/// <summary>Measurements the collector writes besides the device-type ones.</summary>
public static class Measurements
{
    public const string Event = "event";
    public const string Status = "status";

    public static bool IsReserved(string name) => name is Event or Status;
}
