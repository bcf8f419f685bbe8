using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MQTTnet;
using MQTTnet.Server;
using Ioc.IntegrationTests.Infrastructure;

namespace Ioc.Simulators.Tests.Shared;

/// <summary>A real MQTTnet broker on a free 127.0.0.1 port that records every publish it receives (with its arrival time).</summary>
internal sealed class TestBroker : IAsyncDisposable
{
    private readonly MqttServer _server;
    private readonly ConcurrentQueue<(long Timestamp, string Topic, string Payload, bool Retain)> _received = new();

    private TestBroker(MqttServer server, int port)
    {
        _server = server;
        Port = port;
        _server.InterceptingPublishAsync += e =>
        {
            _received.Enqueue((Stopwatch.GetTimestamp(), e.ApplicationMessage.Topic, System.Text.Encoding.UTF8.GetString(System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload)), e.ApplicationMessage.Retain));
            return Task.CompletedTask;
        };
    }

    public int Port { get; }

    public IReadOnlyCollection<(long Timestamp, string Topic, string Payload, bool Retain)> Received => _received;

    public static async Task<TestBroker> StartAsync()
    {
        var port = FreePort.Next();
        var options = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointPort(port)
            .Build();
        var server = new MqttServerFactory().CreateMqttServer(options);
        var broker = new TestBroker(server, port);
        await server.StartAsync();
        return broker;
    }

    public async Task<string?> RetainedPayloadAsync(string topic)
    {
        var retained = await _server.GetRetainedMessagesAsync();
        var message = retained.FirstOrDefault(m => m.Topic == topic);
        return message is null ? null : System.Text.Encoding.UTF8.GetString(System.Buffers.BuffersExtensions.ToArray(message.Payload));
    }

    public async Task<int> ClientCountAsync() => (await _server.GetClientsAsync()).Count;

    /// <summary>Waits until <paramref name="condition"/> holds, failing after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!await condition())
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting for {what}.");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync(new MqttServerStopOptions());
        _server.Dispose();
    }
}
