using System.Text;
using Ioc.Contract;
using Ioc.Contract.Model;

namespace Ioc.Alerting.Tests.Shared;

/// <summary>Builds <see cref="DecodedMessage"/>s the way the collector does: real contract payloads through <see cref="MessageDecoder"/>.</summary>
public static class TestMessages
{
    private static readonly MessageDecoder Decoder = new(new ContractOptions());

    public static DecodedMessage Decode(string topic, string payload, DateTimeOffset receivedAt)
    {
        var result = Decoder.Decode(topic, Encoding.UTF8.GetBytes(payload), receivedAt);
        Assert.True(result.IsAccepted, $"the contract refused {topic}: {result.Rejection?.Reason} {result.Rejection?.Detail}");
        return result.Message!;
    }

    public static DecodedMessage Telemetry(DeviceAddress device, string metricsJson, DateTimeOffset now, string? tagsJson = null) =>
        Decode(device.Topic(MessageChannel.Telemetry), tagsJson is null ? $"{{\"metrics\":{metricsJson}}}" : $"{{\"metrics\":{metricsJson},\"tags\":{tagsJson}}}", now);

    public static DecodedMessage Event(DeviceAddress device, string type, string attrsJson, DateTimeOffset now, string severity = "warning") =>
        Decode(device.Topic(MessageChannel.Event), $"{{\"type\":\"{type}\",\"severity\":\"{severity}\",\"message\":\"test\",\"attrs\":{attrsJson}}}", now);

    public static DecodedMessage Status(DeviceAddress device, bool online, DateTimeOffset now) =>
        Decode(device.Topic(MessageChannel.Status), $"{{\"state\":\"{(online ? "online" : "offline")}\"}}", now);

    public static DecodedMessage LineProtocol(DeviceAddress device, string lines, DateTimeOffset now) =>
        Decode(device.Topic(MessageChannel.Telemetry), lines, now);
}
