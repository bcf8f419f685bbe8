namespace Ioc.Simulators.Publishing;

/// <summary>Where and how the simulator connects.</summary>
public sealed record BrokerSettings
{
    public string Host { get; init; } = "127.0.0.1";

    public int Port { get; init; } = 1883;

    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>Client ids are <c>{prefix}-{deviceId}</c> (per device) or <c>{prefix}-mux-{n}</c> (multiplexed).</summary>
    public string ClientIdPrefix { get; init; } = "ioc-sim";

    /// <summary>MQTT keep-alive; the broker publishes a silent device's will after 1.5 × this.</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

public enum ConnectionMode
{
    /// <summary>One MQTT connection per device, each with its real last will (up to a few thousand devices).</summary>
    PerDevice,

    /// <summary>Devices share a few connections (50,000+ devices); offline status is published explicitly.</summary>
    Multiplexed,
}
