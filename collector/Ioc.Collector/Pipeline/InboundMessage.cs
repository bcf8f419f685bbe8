namespace Ioc.Collector.Pipeline;

/// <summary>
/// A message as received from the broker, not yet acknowledged. <see cref="Acknowledge"/> sends the QoS 1 PUBACK;
/// the pipeline calls it only once the message is stored, spooled or dead-lettered.
/// </summary>
public sealed record InboundMessage(string Topic, byte[] Payload, DateTimeOffset ReceivedAt, Func<CancellationToken, Task>? Acknowledge);
