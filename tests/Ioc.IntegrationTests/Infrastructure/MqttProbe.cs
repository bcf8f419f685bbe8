using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Ioc.IntegrationTests.Infrastructure;

/// <summary>
/// One MQTT 5 client for access-rule tests: connects without throwing on refusal (the CONNACK code is the result),
/// publishes returning the PUBACK code, and keeps everything it receives.
/// </summary>
public sealed class MqttProbe : IAsyncDisposable
{
    private readonly IMqttClient _client;

    private MqttProbe(IMqttClient client) => _client = client;

    public ConcurrentQueue<(string Topic, string Payload)> Received { get; } = new();

    public bool IsConnected => _client.IsConnected;

    /// <summary>Connects; the reason code says whether the broker accepted (Success) or why not.</summary>
    public static async Task<(MqttProbe Probe, MqttClientConnectResultCode Result)> ConnectAsync(
        int port, string? username, string? password, string host = "127.0.0.1", MqttApplicationMessage? will = null)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var probe = new MqttProbe(client);
        client.ApplicationMessageReceivedAsync += e =>
        {
            probe.Received.Enqueue((e.ApplicationMessage.Topic, Encoding.UTF8.GetString(e.ApplicationMessage.Payload.ToArray())));
            return Task.CompletedTask;
        };
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId("probe-" + Guid.NewGuid().ToString("N")[..12])
            .WithCleanStart(true)
            .WithTimeout(TimeSpan.FromSeconds(5));
        if (username is not null)
        {
            builder.WithCredentials(username, password);
        }

        if (will is not null)
        {
            builder.WithWillTopic(will.Topic).WithWillPayload(will.Payload.ToArray()).WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        }

        try
        {
            var result = await client.ConnectAsync(builder.Build());
            return (probe, result.ResultCode);
        }
        catch (MQTTnet.Adapter.MqttConnectingFailedException ex)
        {
            // MQTTnet 5 keeps the CONNACK on the exception under a name that has changed between versions: find it by type.
            var connack = ex.GetType().GetProperties().Select(p => p.GetValue(ex)).OfType<MqttClientConnectResult>().FirstOrDefault();
            return (probe, connack?.ResultCode ?? throw new InvalidOperationException("the refusal carries no CONNACK", ex));
        }
    }

    /// <summary>Connects and fails the test unless the broker accepts.</summary>
    public static async Task<MqttProbe> ConnectAcceptedAsync(int port, string? username, string? password, MqttApplicationMessage? will = null)
    {
        var (probe, result) = await ConnectAsync(port, username, password, will: will);
        if (result != MqttClientConnectResultCode.Success)
        {
            await probe.DisposeAsync();
            throw new InvalidOperationException($"{username} was refused: {result}");
        }

        return probe;
    }

    public async Task<MqttClientPublishReasonCode> PublishAsync(string topic, string payload)
    {
        var result = await _client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        return result.ReasonCode;
    }

    public async Task<MqttClientSubscribeResultCode> SubscribeAsync(string filter)
    {
        var result = await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        return result.Items.Single().ResultCode;
    }

    /// <summary>Drops the TCP connection without DISCONNECT, so that the broker sends the will.</summary>
    public void Drop() => _client.Dispose();

    public bool HasReceived(string payload) => Received.Any(m => m.Payload == payload);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_client.IsConnected)
            {
                await _client.DisconnectAsync();
            }
        }
        catch (ObjectDisposedException)
        {
        }

        _client.Dispose();
    }
}
