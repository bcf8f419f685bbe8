using Ioc.Contract;
using Ioc.Mqtt;

namespace Ioc.Collector.Configuration;

/// <summary>
/// Which filters each of this collector's connections subscribes to. Shared: the same <c>$share/…</c> filter on every
/// connection. Partitioned: the contract's topic space, <c>ioc/v1/+/{type}/+/{channel}</c> for every known device type and
/// channel, dealt round-robin (telemetry first, the heavy channel) over PartitionCount × Connections slots; slot s belongs to
/// collector s % PartitionCount, connection s / PartitionCount. Disjoint, so each message reaches exactly one connection
/// of one collector; complete for every topic the contract accepts. A single slot subscribes to <c>ioc/v1/#</c> itself.
/// </summary>
public static class SubscriptionPlan
{
    private static readonly MessageChannel[] Channels = [MessageChannel.Telemetry, MessageChannel.Status, MessageChannel.Event];

    public static IReadOnlyList<MqttSubscription>[] For(CollectorOptions options, IEnumerable<string> extraDeviceTypes)
    {
        ArgumentNullException.ThrowIfNull(options);
        var plan = new List<MqttSubscription>[options.Connections];
        for (var i = 0; i < plan.Length; i++)
        {
            plan[i] = [];
        }

        if (options.EffectiveSubscription == SubscriptionMode.Shared)
        {
            foreach (var connection in plan)
            {
                connection.Add(new MqttSubscription(options.SubscriptionFilter));
            }

            return plan;
        }

        var slots = options.PartitionCount * options.Connections;
        if (slots == 1)
        {
            plan[0].Add(new MqttSubscription(options.TopicFilter));
            return plan;
        }

        var types = DeviceTypes.All.Concat(extraDeviceTypes).Distinct(StringComparer.Ordinal).ToList();
        var index = 0;
        foreach (var channel in Channels)
        {
            foreach (var type in types)
            {
                var slot = index++ % slots;
                if (slot % options.PartitionCount == options.PartitionIndex)
                {
                    plan[slot / options.PartitionCount].Add(new MqttSubscription($"{Topics.Prefix}+/{type}/+/{Topics.ChannelName(channel)}"));
                }
            }
        }

        return plan;
    }
}
