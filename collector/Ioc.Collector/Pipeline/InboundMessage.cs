namespace Ioc.Collector.Pipeline;

/// <summary>
/// A message as received from the broker, not yet acknowledged. <see cref="Acknowledge"/> sends the QoS 1 PUBACK;
/// the pipeline calls it only once the message is stored, spooled or dead-lettered. <see cref="RateLimited"/>: the device
/// was over its rate; the message is not decoded, only dead-lettered (a sample of the refused ones).
/// </summary>
public sealed record InboundMessage(string Topic, byte[] Payload, DateTimeOffset ReceivedAt, Func<CancellationToken, Task>? Acknowledge, bool RateLimited = false)
{
    /// <summary>
    /// Received by this collector itself (syslog, SNMP traps and polls), not through the broker: no other process has
    /// seen it, so in a multi-collector deployment the <see cref="EvaluatorForwarder"/> hands it to the evaluator.
    /// </summary>
    public bool ReceivedHere { get; private init; }

    /// <summary>A message this collector received itself (nothing to acknowledge).</summary>
    public static InboundMessage Local(string topic, byte[] payload, DateTimeOffset receivedAt) =>
        new(topic, payload, receivedAt, null) { ReceivedHere = true };
}
