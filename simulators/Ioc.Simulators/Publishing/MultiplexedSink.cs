using Ioc.Simulators.Generation;
using MQTTnet;

namespace Ioc.Simulators.Publishing;

/// <summary>
/// Many devices over a few connections (device i always uses connection i mod n, so each device's messages stay in
/// order). Wills cannot be per device here: a <see cref="SimMessageKind.Will"/> message is published as the retained
/// offline status the broker would have sent.
/// </summary>
public sealed class MultiplexedSink : IMessageSink
{
    private readonly MqttConnection[] _connections;

    public MultiplexedSink(BrokerSettings broker, int connections)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(connections, 1);
        var factory = new MqttClientFactory();
        var run = Guid.NewGuid().ToString("N")[..6];
        _connections = Enumerable.Range(0, connections)
            .Select(i => new MqttConnection(factory, broker, $"{broker.ClientIdPrefix}-mux-{run}-{i}", null, null)).ToArray();
    }

    public int Connections => _connections.Count(c => c.IsConnected);

    public Task StartAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_connections.Select(c => c.EnsureConnectedAsync(cancellationToken)));

    public Task PublishAsync(SimMessage message, CancellationToken cancellationToken) =>
        _connections[message.DeviceIndex % _connections.Length].PublishAsync(message, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }
}
