using System.Diagnostics;
using System.Text;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Ioc.IntegrationTests.Infrastructure;

/// <summary>Publishes at QoS 1 with MQTTnet, many messages in flight at once, each awaited for its PUBACK.</summary>
public sealed class Publisher : IAsyncDisposable
{
    private readonly IMqttClient _client;

    private Publisher(IMqttClient client) => _client = client;

    public static async Task<Publisher> ConnectAsync(int port, string clientId = "", string? username = null, string? password = null, string host = "127.0.0.1")
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithCredentials(username, password)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(clientId.Length > 0 ? clientId : "pub-" + Guid.NewGuid().ToString("N")[..12])
            .WithCleanStart(true)
            .Build();
        await client.ConnectAsync(options);
        return new Publisher(client);
    }

    public Task PublishAsync(string topic, string payload, bool retain = false) =>
        PublishAsync(topic, Encoding.UTF8.GetBytes(payload), retain);

    public async Task PublishAsync(string topic, byte[] payload, bool retain = false)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .Build();
        var result = await _client.PublishAsync(message);
        if (!result.IsSuccess && result.ReasonCode != MqttClientPublishReasonCode.NoMatchingSubscribers)
        {
            throw new InvalidOperationException($"publish to {topic} failed: {result.ReasonCode}");
        }
    }

    /// <summary>Publishes <paramref name="count"/> messages with up to <paramref name="window"/> awaiting PUBACK at a time.</summary>
    public async Task<TimeSpan> PublishManyAsync(int count, Func<int, (string Topic, string Payload)> make, int window = 500)
    {
        var started = Stopwatch.GetTimestamp();
        var pending = new List<Task>(window);
        for (var i = 0; i < count; i++)
        {
            var (topic, payload) = make(i);
            pending.Add(PublishAsync(topic, payload));
            if (pending.Count >= window)
            {
                await Task.WhenAll(pending);
                pending.Clear();
            }
        }

        await Task.WhenAll(pending);
        return Stopwatch.GetElapsedTime(started);
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        _client.Dispose();
    }
}
