using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using Ioc.IntegrationTests.Infrastructure;
using Ioc.Mqtt;
using Ioc.Mqtt.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MQTTnet;

namespace Ioc.IntegrationTests.Mqtt;

/// <summary>The one broker client against a real Mosquitto (2.0.11 on the development machine).</summary>
public sealed class BrokerClientTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Start_BrokerRestarts_ReconnectsResubscribesAndReceivesWhatIsPublishedAfter()
    {
        // Arrange: a persistent session with a shared subscription. The broker is killed, so it comes back without the
        // session; a clean restart of Mosquitto 2.0.11 would keep the session but forget its $share subscriptions. Either
        // way only a client that subscribes again on every connect hears what is published after.
        await using var broker = await MosquittoBroker.StartAsync();
        var received = new ConcurrentQueue<string>();
        var changes = new ConcurrentQueue<bool>();
        await using var client = new BrokerClient(
            Options(broker.Port),
            new BrokerClientSettings { ClientId = "restart-" + Guid.NewGuid().ToString("N")[..8], Subscriptions = [new("$share/g/restart/#")], PersistentSession = true },
            e =>
            {
                received.Enqueue(Encoding.UTF8.GetString(e.ApplicationMessage.Payload.ToArray()));
                return Task.CompletedTask;
            });
        client.ConnectionChanged += (_, up) => changes.Enqueue(up);
        client.Start();
        await client.WaitConnectedAsync(new CancellationTokenSource(Timeout).Token);
        await PublishAsync(broker.Port, "restart/a", "before");
        await Wait.UntilAsync(() => received.Contains("before"), Timeout, "the message published before the restart");

        // Act
        await broker.StopAsync();
        await Wait.UntilAsync(() => !client.IsConnected, Timeout, "the client to notice the broker went away");
        await broker.RestartAsync();
        await client.WaitConnectedAsync(new CancellationTokenSource(Timeout).Token);
        await PublishAsync(broker.Port, "restart/a", "after");

        // Assert
        await Wait.UntilAsync(() => received.Contains("after"), Timeout, "the message published after the restart");
        Assert.Equal([true, false, true], changes.ToArray());
    }

    [Fact]
    public async Task ManualAcknowledge_MessageNotAcknowledged_IsDeliveredAgainUntilAcknowledged()
    {
        // Arrange
        await using var broker = await MosquittoBroker.StartAsync();
        var settings = new BrokerClientSettings { ClientId = "ack-" + Guid.NewGuid().ToString("N")[..8], Subscriptions = [new("ack/#")], PersistentSession = true, AutoAcknowledge = false };
        var first = new ConcurrentQueue<(string Text, MqttApplicationMessage Message)>();
        await using (var client = new BrokerClient(Options(broker.Port), settings, e => Enqueue(first, e)))
        {
            await client.ConnectAsync(CancellationToken.None);
            await PublishAsync(broker.Port, "ack/1", "held");
            await Wait.UntilAsync(() => !first.IsEmpty, Timeout, "the first delivery");
            await client.StopAsync(CancellationToken.None);
        }

        // Act: the same session again; this time the message is acknowledged.
        var second = new ConcurrentQueue<(string Text, MqttApplicationMessage Message)>();
        await using (var client = new BrokerClient(Options(broker.Port), settings, async e =>
        {
            await Enqueue(second, e);
            await e.AcknowledgeAsync(CancellationToken.None);
        }))
        {
            await client.ConnectAsync(CancellationToken.None);
            await Wait.UntilAsync(() => !second.IsEmpty, Timeout, "the redelivery of the unacknowledged message");
            await client.StopAsync(CancellationToken.None);
        }

        // Assert: a third session sees the marker published now, and nothing before it.
        var third = await ReconnectUntilMarkerAsync(broker.Port, settings, "ack/2", "marker");

        Assert.Equal("held", Assert.Single(first).Text);
        Assert.Equal("held", Assert.Single(second).Text);
        Assert.Equal("marker", third.First().Text);
    }

    [Fact]
    public async Task PublishAsync_WithRetainAndUserProperties_ArrivesAsSent()
    {
        // Arrange
        await using var broker = await MosquittoBroker.StartAsync();
        await using var publisher = new BrokerClient(Options(broker.Port), new BrokerClientSettings { ClientId = "pub-" + Guid.NewGuid().ToString("N")[..8] });
        await publisher.ConnectAsync(CancellationToken.None);

        // Act
        var result = await publisher.PublishAsync("props/x", Encoding.UTF8.GetBytes("v"), retain: true, userProperties: [new("origin", Encoding.UTF8.GetBytes("test").AsMemory())]);
        var received = new ConcurrentQueue<(string Text, MqttApplicationMessage Message)>();
        await using var subscriber = new BrokerClient(Options(broker.Port), new BrokerClientSettings { ClientId = "sub-" + Guid.NewGuid().ToString("N")[..8], Subscriptions = [new("props/#")] }, e => Enqueue(received, e));
        await subscriber.ConnectAsync(CancellationToken.None);
        await Wait.UntilAsync(() => !received.IsEmpty, Timeout, "the retained message");

        // Assert
        Assert.True(result.IsSuccess, result.ReasonCode.ToString());
        var (text, message) = Assert.Single(received);
        Assert.True(message.Retain);
        Assert.Equal("v", text);
        Assert.Contains(message.UserProperties, p => p.Name == "origin" && Encoding.UTF8.GetString(p.ValueBuffer.Span) == "test");
    }

    [Fact]
    public async Task ConnectAsync_NoBroker_ThrowsAndStaysDisconnected()
    {
        // Arrange
        await using var client = new BrokerClient(Options(FreePort.Next()), new BrokerClientSettings { ClientId = "nobody" });

        // Act
        await Assert.ThrowsAnyAsync<Exception>(() => client.ConnectAsync(CancellationToken.None));

        // Assert
        Assert.Equal(BrokerConnectionState.Disconnected, client.State);
    }

    [Fact]
    public async Task AddMqttConnection_BadValues_StartFailsNamingEachKey()
    {
        // Arrange: a bad base port, and the component's own user without a password.
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ioc:Mqtt:Port"] = "0",
            ["Ioc:Mqtt:Collector:Username"] = "collector",
            ["Ioc:Mqtt:Collector:ReceiveMaximum"] = "70000",
        });
        builder.Services.AddMqttConnection(builder.Configuration, "Collector");
        using var host = builder.Build();

        // Act
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        // Assert
        Assert.Contains(ex.Failures, f => f.StartsWith("Ioc:Mqtt:Port must be between 1 and 65535", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("Ioc:Mqtt:Password must be set when Ioc:Mqtt:Collector:Username is", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("Ioc:Mqtt:Collector:ReceiveMaximum", StringComparison.Ordinal));
    }

    [Fact]
    public void AddMqttConnection_ComponentSection_OverridesOnlyItsKeys()
    {
        // Arrange
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ioc:Mqtt:Host"] = "broker.local",
            ["Ioc:Mqtt:Port"] = "8883",
            ["Ioc:Mqtt:Alerting:Username"] = "engine",
            ["Ioc:Mqtt:Alerting:Password"] = "secret",
        }).Build();
        using var services = new ServiceCollection().AddMqttConnection(configuration, "Alerting").AddMqttConnection(configuration, "Dashboard").BuildServiceProvider();

        // Act
        var alerting = services.GetRequiredKeyedService<MqttConnectionOptions>("Alerting");
        var dashboard = services.GetRequiredKeyedService<MqttConnectionOptions>("Dashboard");

        // Assert
        Assert.Equal(("broker.local", 8883, "engine"), (alerting.Host, alerting.Port, alerting.Username));
        Assert.Equal(("broker.local", 8883, (string?)null), (dashboard.Host, dashboard.Port, dashboard.Username));
    }

    [Fact]
    public async Task CoalesceWrites_ThousandsAcknowledgedInOneGo_NoneIsDeliveredAgain()
    {
        // Arrange: a consumer as the collector holds it (persistent session, manual acknowledgement, coalesced writes) that
        // receives 3,000 QoS 1 messages and acknowledges them together, as a stored batch is.
        await using var broker = await MosquittoBroker.StartAsync();
        var settings = new BrokerClientSettings { ClientId = "coalesce-" + Guid.NewGuid().ToString("N")[..8], Subscriptions = [new("co/#")], PersistentSession = true, AutoAcknowledge = false, CoalesceWrites = true };
        var held = new ConcurrentQueue<MqttApplicationMessageReceivedEventArgs>();
        const int count = 3_000;
        await using (var client = new BrokerClient(Options(broker.Port), settings, e =>
        {
            held.Enqueue(e);
            return Task.CompletedTask;
        }))
        {
            await client.ConnectAsync(CancellationToken.None);
            await using (var publisher = await Publisher.ConnectAsync(broker.Port))
            {
                for (var i = 0; i < count; i++)
                {
                    await publisher.PublishAsync("co/x", "m" + i);
                }
            }

            await Wait.UntilAsync(() => held.Count == count, Timeout, "every message delivered");

            // Act
            foreach (var e in held)
            {
                await e.AcknowledgeAsync(CancellationToken.None);
            }

            await client.StopAsync(CancellationToken.None);
        }

        // Assert: the same session again receives only what is published now; nothing acknowledged comes back.
        var second = await ReconnectUntilMarkerAsync(broker.Port, settings, "co/x", "after");

        Assert.Equal(["after"], second.Select(m => m.Text));
    }

    /// <summary>
    /// The same session again, acknowledging everything: publishes <paramref name="marker"/> once connected and returns
    /// what the session received up to and including it (what the broker kept for the session comes before it).
    /// </summary>
    private static async Task<ConcurrentQueue<(string Text, MqttApplicationMessage Message)>> ReconnectUntilMarkerAsync(int port, BrokerClientSettings settings, string topic, string marker)
    {
        var received = new ConcurrentQueue<(string Text, MqttApplicationMessage Message)>();
        await using var client = new BrokerClient(Options(port), settings, async e =>
        {
            await Enqueue(received, e);
            await e.AcknowledgeAsync(CancellationToken.None);
        });
        await client.ConnectAsync(CancellationToken.None);
        await PublishAsync(port, topic, marker);
        await Wait.UntilAsync(() => received.Any(m => m.Text == marker), Timeout, $"the marker '{marker}' published after the reconnect");
        await client.StopAsync(CancellationToken.None);
        return received;
    }

    private static MqttConnectionOptions Options(int port) => new() { Port = port, ReconnectMinDelay = TimeSpan.FromMilliseconds(100), ReconnectMaxDelay = TimeSpan.FromSeconds(1), ConnectTimeout = TimeSpan.FromSeconds(5) };

    /// <summary>Keeps the payload as text at once: MQTTnet may reuse its buffer after the handler returns.</summary>
    private static Task Enqueue(ConcurrentQueue<(string Text, MqttApplicationMessage Message)> queue, MqttApplicationMessageReceivedEventArgs e)
    {
        queue.Enqueue((Encoding.UTF8.GetString(e.ApplicationMessage.Payload.ToArray()), e.ApplicationMessage));
        return Task.CompletedTask;
    }

    private static async Task PublishAsync(int port, string topic, string payload)
    {
        await using var publisher = await Publisher.ConnectAsync(port);
        await publisher.PublishAsync(topic, payload);
    }
}
