namespace Ioc.Contract;

public enum MessageChannel
{
    Telemetry,
    Event,
    Status,
}
