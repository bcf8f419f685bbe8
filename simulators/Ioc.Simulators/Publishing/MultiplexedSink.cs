using Ioc.Mqtt;
using Ioc.Simulators.Generation;
using Microsoft.Extensions.Logging;

namespace Ioc.Simulators.Publishing;

/// <summary>
/// Many devices over a few connections (device i always uses connection i mod n, so each device's messages stay in
/// order). Wills cannot be per device here: a <see cref="SimMessageKind.Will"/> message is published as the retained
/// offline status the broker would have sent.
/// </summary>
public sealed class MultiplexedSink : IMessageSink
{
    private readonly BrokerClient[] _clients;

    public MultiplexedSink(MqttConnectionOptions broker, int connections, ILogger? logger = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(connections, 1);
        if (broker.Username == PerDeviceSink.DeviceIdUsername)
        {
            throw new InvalidOperationException(
                $"Username {PerDeviceSink.DeviceIdUsername} needs one connection per device (Ioc:Simulators:Mode=PerDevice); multiplexed connections need a simulators account.");
        }

        var prefix = broker.ClientIdOr(SinkClients.DefaultClientIdPrefix);
        var run = Guid.NewGuid().ToString("N")[..6];
        _clients = Enumerable.Range(0, connections)
            .Select(i => new BrokerClient(broker, new BrokerClientSettings { ClientId = $"{prefix}-mux-{run}-{i}", CoalesceWrites = true }, logger: logger)).ToArray();
    }

    public int Connections => _clients.Count(c => c.IsConnected);

    public Task StartAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_clients.Select(c => c.ConnectAsync(cancellationToken)));

    public Task PublishAsync(SimMessage message, CancellationToken cancellationToken) =>
        SinkClients.PublishAsync(_clients[message.DeviceIndex % _clients.Length], message, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }
    }
}
