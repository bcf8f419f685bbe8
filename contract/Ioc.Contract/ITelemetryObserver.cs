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
}
