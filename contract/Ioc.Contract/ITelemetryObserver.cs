using Ioc.Contract.Model;

namespace Ioc.Contract;

/// <summary>
/// Sees every accepted message as the collector decodes it, before storage, in arrival order per connection.
/// Called on the pipeline's hot path: implementations must return at once (queue the work, never block or throw).
/// The alert engine is one.
/// </summary>
public interface ITelemetryObserver
{
    void Observe(DecodedMessage message);

    /// <summary>
    /// A run of accepted messages at once, in arrival order (the collector's batcher hands over what it decoded since the
    /// last call, so a queue behind the observer takes one write per run instead of one per message). The span is only
    /// valid during the call: keep what you need by copying. By default each message goes to <see cref="Observe(DecodedMessage)"/>.
    /// </summary>
    void Observe(ReadOnlySpan<DecodedMessage> messages)
    {
        foreach (var message in messages)
        {
            Observe(message);
        }
    }
}
