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

    public static string For(DeviceAddress device, MessageChannel channel) =>
        string.Concat(Prefix, device.Site, "/", device.DeviceType, "/", device.DeviceId, "/", ChannelName(channel));

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
