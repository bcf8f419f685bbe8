using Ioc.Contract.Text;

namespace Ioc.Contract;

/// <summary>Builds and parses topics of the form <c>ioc/v1/{site}/{deviceType}/{deviceId}/{channel}</c>.</summary>
public static class Topics
{
    public const string Prefix = "ioc/v1/";

    /// <summary>Everything devices publish.</summary>
    public const string AllDevices = "ioc/v1/#";

    /// <summary>Where the system itself announces alerts and health (never device data).</summary>
    public const string SystemPrefix = "ioc/v1/_system/";

    /// <summary>
    /// The evaluator's ingress: a device message a collector received itself (syslog, SNMP), not through the broker,
    /// republished as <c>ioc/ingress/v1/{site}/{type}/{id}/{channel}</c> so that the evaluating process of a multi-collector
    /// deployment sees it. Outside <c>ioc/v1/</c> on purpose: no ingestion subscription matches it (the message is stored
    /// once, by the collector that received it), and only collectors may write it (deploy/mosquitto/acl).
    /// </summary>
    public const string IngressPrefix = "ioc/ingress/v1/";

    /// <summary>Everything under <see cref="IngressPrefix"/>.</summary>
    public const string AllIngress = "ioc/ingress/v1/#";

    public static string For(DeviceAddress device, MessageChannel channel) =>
        string.Concat(Prefix, device.Site, "/", device.DeviceType, "/", device.DeviceId, "/", ChannelName(channel));

    /// <summary>The ingress topic of a device topic (<c>ioc/v1/a/b/c/event</c> → <c>ioc/ingress/v1/a/b/c/event</c>).</summary>
    public static string ToIngress(string deviceTopic) =>
        deviceTopic.StartsWith(Prefix, StringComparison.Ordinal)
            ? string.Concat(IngressPrefix, deviceTopic.AsSpan(Prefix.Length))
            : throw new ArgumentException($"not a device topic: '{deviceTopic}'", nameof(deviceTopic));

    /// <summary>The device topic an ingress topic stands for, or null when <paramref name="topic"/> is not an ingress topic.</summary>
    public static string? FromIngress(string topic) =>
        topic.StartsWith(IngressPrefix, StringComparison.Ordinal) ? string.Concat(Prefix, topic.AsSpan(IngressPrefix.Length)) : null;

    public static string ChannelName(MessageChannel channel) => channel switch
    {
        MessageChannel.Telemetry => "telemetry",
        MessageChannel.Event => "event",
        MessageChannel.Status => "status",
        _ => throw new ArgumentOutOfRangeException(nameof(channel)),
    };

    /// <summary>Parses a device topic; the rejection names the segment at fault.</summary>
    public static bool TryParse(string topic, out DeviceAddress device, out MessageChannel channel, out Rejection? rejection)
    {
        device = default;
        channel = default;
        rejection = null;
        // Null only by mistake, but the collector must refuse it like any other bad topic rather than throw.
        if (topic is null || !topic.StartsWith(Prefix, StringComparison.Ordinal))
        {
            rejection = new Rejection(RejectReason.BadTopic, $"topic must start with '{Prefix}'");
            return false;
        }

        var rest = topic.AsSpan(Prefix.Length);
        Span<Range> parts = stackalloc Range[5];
        if (rest.Split(parts, '/') != 4)
        {
            rejection = new Rejection(RejectReason.BadTopic, "topic must have the form ioc/v1/{site}/{deviceType}/{deviceId}/{channel}");
            return false;
        }

        var site = rest[parts[0]];
        var type = rest[parts[1]];
        var id = rest[parts[2]];
        var channelName = rest[parts[3]];
        if (!Names.IsSlug(site))
        {
            rejection = new Rejection(RejectReason.BadTopic, "site must match [a-z0-9-]{1,64}");
            return false;
        }

        if (!Names.IsSlug(type))
        {
            rejection = new Rejection(RejectReason.BadTopic, "deviceType must match [a-z0-9-]{1,64}");
            return false;
        }

        if (!Names.IsDeviceId(id))
        {
            rejection = new Rejection(RejectReason.BadTopic, "deviceId must match [A-Za-z0-9_.-]{1,64}");
            return false;
        }

        switch (channelName)
        {
            case "telemetry":
                channel = MessageChannel.Telemetry;
                break;
            case "event":
                channel = MessageChannel.Event;
                break;
            case "status":
                channel = MessageChannel.Status;
                break;
            default:
                rejection = new Rejection(RejectReason.BadTopic, "channel must be telemetry, event or status");
                return false;
        }

        device = new DeviceAddress(NamePool.Shared.Get(site), NamePool.Shared.Get(type), NamePool.Shared.Get(id));
        return true;
    }
}
