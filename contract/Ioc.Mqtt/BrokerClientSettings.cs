using MQTTnet.Protocol;

namespace Ioc.Mqtt;

/// <summary>One subscription, made again on every (re)connect.</summary>
public sealed record MqttSubscription(string Filter, MqttQualityOfServiceLevel QualityOfService = MqttQualityOfServiceLevel.AtLeastOnce);

/// <summary>The message the broker publishes when the connection ends without DISCONNECT.</summary>
public sealed record MqttWill(string Topic, byte[] Payload, bool Retain = true, MqttQualityOfServiceLevel QualityOfService = MqttQualityOfServiceLevel.AtLeastOnce);

/// <summary>What one component's connection needs beyond <see cref="MqttConnectionOptions"/>: its role, given in code.</summary>
public sealed record BrokerClientSettings
{
    /// <summary>Stable for persistent sessions (the broker finds the session by it); unique per connection.</summary>
    public required string ClientId { get; init; }

    /// <summary>Subscribed on every connect: a broker may forget them (Mosquitto 2.0.11 loses <c>$share/…</c> ones of a persistent session across its restart).</summary>
    public IReadOnlyList<MqttSubscription> Subscriptions { get; init; } = [];

    /// <summary>Clean start off and <see cref="MqttConnectionOptions.SessionExpiry"/> set: the broker queues QoS 1 messages while the client is away. Off: a clean session that ends with the connection.</summary>
    public bool PersistentSession { get; init; }

    /// <summary>
    /// On (default): a message is acknowledged when the handler returns. Off: the handler owns the acknowledgement and calls
    /// <c>AcknowledgeAsync</c> once the work is durable (or sets <c>AutoAcknowledge</c> back to true for a message it drops).
    /// </summary>
    public bool AutoAcknowledge { get; init; } = true;

    public MqttWill? Will { get; init; }

    /// <summary>
    /// Gather outgoing packets and send them in as few socket writes as they arrive (<see cref="CoalescingChannel"/>)
    /// instead of one write per packet: for a consumer that acknowledges whole stored batches, N PUBACKs cost a few
    /// writes instead of N. A send then completes when the packet is queued for the socket, not when it is written.
    /// </summary>
    public bool CoalesceWrites { get; init; }
}
