using Ioc.Contract;
using Ioc.Simulators.Devices;
using Ioc.Simulators.Fleet;
using Ioc.Simulators.Generation;
using MQTTnet;

namespace Ioc.Simulators.Publishing;

/// <summary>
/// One MQTT connection per device, each registering the device's retained <c>offline</c> status as its last will.
/// A <see cref="SimMessageKind.Will"/> message makes this sink drop the device's connection without DISCONNECT, so it
/// is the broker itself that announces the device offline; the device's next message reconnects it.
/// </summary>
public sealed class PerDeviceSink : IMessageSink
{
    private readonly MqttConnection[] _connections;
    private readonly int _connectConcurrency;

    public PerDeviceSink(FleetDefinition fleet, BrokerSettings broker, int connectConcurrency = 64)
    {
        var factory = new MqttClientFactory();
        _connectConcurrency = Math.Max(1, connectConcurrency);
        _connections = fleet.Devices.Select(d => new MqttConnection(
            factory,
            broker,
            $"{broker.ClientIdPrefix}-{d.Id}",
            d.Address.Topic(MessageChannel.Status),
            PayloadWriter.Will())).ToArray();
    }

    public int Connections => _connections.Count(c => c.IsConnected);

    public Task StartAsync(CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(_connections, new ParallelOptions { MaxDegreeOfParallelism = _connectConcurrency, CancellationToken = cancellationToken }, async (c, ct) => await c.EnsureConnectedAsync(ct));

    public Task PublishAsync(SimMessage message, CancellationToken cancellationToken)
    {
        var connection = _connections[message.DeviceIndex];
        return message.Kind == SimMessageKind.Will ? connection.DropWithWillAsync(cancellationToken) : connection.PublishAsync(message, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }
}
