namespace Ioc.Simulators.Publishing;

public enum ConnectionMode
{
    /// <summary>One MQTT connection per device, each with its real last will (up to a few thousand devices).</summary>
    PerDevice,

    /// <summary>Devices share a few connections (50,000+ devices); offline status is published explicitly.</summary>
    Multiplexed,
}
