using Ioc.Contract;

namespace Ioc.Simulators.Generation;

public enum SimMessageKind
{
    /// <summary>A retained <c>status</c> the device publishes itself (online at start, heartbeats, recovery).</summary>
    Status,

    Telemetry,

    Event,

    /// <summary>
    /// The retained <c>offline</c> status the broker publishes from the device's last will when the device vanishes.
    /// In per-device mode the publisher makes the broker send it (the connection drops); multiplexed, it is published.
    /// </summary>
    Will,

    /// <summary>A payload that breaks the contract on purpose (malformed-payload scenario).</summary>
    Malformed,
}

/// <summary>One MQTT message the simulator sends: topic, payload, retain flag; always QoS 1.</summary>
/// <param name="At">Simulated time the device sends it (its <c>ts</c>).</param>
/// <param name="DeviceIndex">Index of the device in <c>FleetDefinition.Devices</c> (picks the MQTT connection).</param>
public sealed record SimMessage(DateTimeOffset At, string Topic, byte[] Payload, bool Retain, SimMessageKind Kind, int DeviceIndex)
{
    public const int QualityOfService = 1;

    /// <summary>For <see cref="SimMessageKind.Status"/> and <see cref="SimMessageKind.Will"/>: the state it announces.</summary>
    public bool? Online { get; init; }

    /// <summary>For <see cref="SimMessageKind.Malformed"/>: the reason the contract must refuse it for.</summary>
    public RejectReason? ExpectedRejection { get; init; }

    /// <summary>The scenario that produced it, if any.</summary>
    public string? Scenario { get; init; }

    public string PayloadText => System.Text.Encoding.UTF8.GetString(Payload);
}
