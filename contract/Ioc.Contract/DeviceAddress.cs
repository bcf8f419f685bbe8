namespace Ioc.Contract;

/// <summary>Who a message is about, read from its topic <c>ioc/v1/{site}/{deviceType}/{deviceId}/{channel}</c>.</summary>
public readonly record struct DeviceAddress(string Site, string DeviceType, string DeviceId)
{
    public string Topic(MessageChannel channel) => Topics.For(this, channel);

    public override string ToString() => $"{Site}/{DeviceType}/{DeviceId}";
}
