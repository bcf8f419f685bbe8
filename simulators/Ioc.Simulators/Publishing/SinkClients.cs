using System.Buffers;
using Ioc.Mqtt;
using Ioc.Simulators.Generation;
using MQTTnet;
using MQTTnet.Protocol;

namespace Ioc.Simulators.Publishing;

/// <summary>What both sinks share: the simulators' client id default and one publish at QoS 1 that throws on refusal.</summary>
internal static class SinkClients
{
    /// <summary>Client ids are <c>{prefix}-{deviceId}</c> (per device) or <c>{prefix}-mux-{run}-{n}</c> (multiplexed).</summary>
    public const string DefaultClientIdPrefix = "ioc-sim";

    /// <summary>The simulators read <c>Ioc:Mqtt</c>, overridable in <c>Ioc:Mqtt:Simulators</c>.</summary>
    public const string MqttComponent = "Simulators";

    public static async Task PublishAsync(BrokerClient client, SimMessage message, CancellationToken cancellationToken)
    {
        var application = new MqttApplicationMessage
        {
            Topic = message.Topic,
            Payload = new ReadOnlySequence<byte>(message.Payload),
            Retain = message.Retain,
            QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce,
        };
        var result = await client.PublishAsync(application, cancellationToken);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"The broker refused {message.Topic}: {result.ReasonCode} {result.ReasonString}");
        }
    }
}
