namespace Ioc.Core.Contract;

public enum MessageChannel
{
    Telemetry,
    Event,
    Status,
}
