using System.Collections.Concurrent;
using System.Text;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;
using Ioc.IntegrationTests.Infrastructure;

namespace Ioc.Alerting.Tests.Shared;

/// <summary>MQTTnet's embedded broker on a free 127.0.0.1 port, plus a subscriber that records what it sees.</summary>
public sealed class TestBroker : IAsyncDisposable
{
    private readonly MqttServer _server;
    private IMqttClient? _subscriber;

    private TestBroker(MqttServer server, int port)
    {
        _server = server;
        Port = port;
    }

    public int Port { get; }

    public ConcurrentQueue<(string Topic, string Payload, bool Retain)> Received { get; } = new();

    public static async Task<TestBroker> StartAsync()
    {
        var port = FreePort.Next();
        var options = new MqttServerOptionsBuilder().WithDefaultEndpoint().WithDefaultEndpointBoundIPAddress(System.Net.IPAddress.Loopback).WithDefaultEndpointPort(port).Build();
        var server = new MqttServerFactory().CreateMqttServer(options);
        await server.StartAsync();
        return new TestBroker(server, port);
    }

    public async Task SubscribeAsync(string filter)
    {
        _subscriber = new MqttClientFactory().CreateMqttClient();
        _subscriber.ApplicationMessageReceivedAsync += e =>
        {
            var payload = Encoding.UTF8.GetString(e.ApplicationMessage.Payload);
            Received.Enqueue((e.ApplicationMessage.Topic, payload, e.ApplicationMessage.Retain));
            return Task.CompletedTask;
        };
        await _subscriber.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", Port).WithClientId("test-subscriber").Build());
        await _subscriber.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce).Build());
    }

    /// <summary>Waits until a received message satisfies the predicate, or fails after the deadline.</summary>
    public async Task<(string Topic, string Payload, bool Retain)> WaitForAsync(Func<(string Topic, string Payload, bool Retain), bool> predicate, TimeSpan deadline)
    {
        var until = DateTime.UtcNow + deadline;
        while (DateTime.UtcNow < until)
        {
            foreach (var message in Received)
            {
                if (predicate(message))
                {
                    return message;
                }
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"no matching MQTT message within {deadline}; got: {string.Join(" | ", Received.Select(r => r.Topic))}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_subscriber is not null)
        {
            await _subscriber.DisconnectAsync(new MqttClientDisconnectOptions());
            _subscriber.Dispose();
        }

        await _server.StopAsync();
        _server.Dispose();
    }
}
