using Ioc.Simulators.Generation;

namespace Ioc.Simulators.Publishing;

/// <summary>Where generated messages go: an MQTT broker (per-device or multiplexed connections) or anything a test supplies.</summary>
public interface IMessageSink : IAsyncDisposable
{
    /// <summary>Open connections now.</summary>
    int Connections { get; }

    /// <summary>Opens the connections; throws if the broker cannot be reached.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Sends one message at QoS 1 and completes when the broker acknowledged it; throws on failure.</summary>
    Task PublishAsync(SimMessage message, CancellationToken cancellationToken);
}
