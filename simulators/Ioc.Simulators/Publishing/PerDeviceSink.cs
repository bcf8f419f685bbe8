using Ioc.Contract;
using Ioc.Mqtt;
using Ioc.Simulators.Devices;
using Ioc.Simulators.Fleet;
using Ioc.Simulators.Generation;
using Microsoft.Extensions.Logging;

namespace Ioc.Simulators.Publishing;

/// <summary>
/// One MQTT connection per device (a clean session), each registering the device's retained <c>offline</c> status as
/// its last will. A <see cref="SimMessageKind.Will"/> message makes this sink drop the device's connection without
/// DISCONNECT, so it is the broker itself that announces the device offline; the device's next message reconnects it.
/// </summary>
public sealed class PerDeviceSink : IMessageSink
{
    /// <summary>
    /// As the username (<c>Ioc:Mqtt:Simulators:Username</c>), each device connects under its own id, as a real device
    /// does at a broker that enforces per-device topics (docs/broker-identity.md). Per-device mode only.
    /// </summary>
    public const string DeviceIdUsername = "{deviceId}";

    private readonly BrokerClient[] _clients;
    private readonly int _connectConcurrency;

    public PerDeviceSink(FleetDefinition fleet, MqttConnectionOptions broker, int connectConcurrency = 64, ILogger? logger = null)
    {
        _connectConcurrency = Math.Max(1, connectConcurrency);
        var prefix = broker.ClientIdOr(SinkClients.DefaultClientIdPrefix);
        _clients = fleet.Devices.Select(d => new BrokerClient(
            ForDevice(broker, d.Id),
            new BrokerClientSettings
            {
                ClientId = $"{prefix}-{d.Id}",
                Will = new MqttWill(d.Address.Topic(MessageChannel.Status), PayloadWriter.Will()),
            },
            logger: logger)).ToArray();
    }

    /// <summary>The connection options of one device: <see cref="DeviceIdUsername"/> becomes its id.</summary>
    private static MqttConnectionOptions ForDevice(MqttConnectionOptions broker, string deviceId)
    {
        if (broker.Username != DeviceIdUsername)
        {
            return broker;
        }

        var own = broker.Clone();
        own.Username = deviceId;
        return own;
    }

    public int Connections => _clients.Count(c => c.IsConnected);

    public Task StartAsync(CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(_clients, new ParallelOptions { MaxDegreeOfParallelism = _connectConcurrency, CancellationToken = cancellationToken }, async (c, ct) => await c.ConnectAsync(ct));

    public Task PublishAsync(SimMessage message, CancellationToken cancellationToken)
    {
        var client = _clients[message.DeviceIndex];
        return message.Kind == SimMessageKind.Will ? client.DropAsync(cancellationToken) : SinkClients.PublishAsync(client, message, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }
    }
}
