using System.Buffers;
using Ioc.Simulators.Generation;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Ioc.Simulators.Publishing;

/// <summary>One MQTT v5 client that (re)connects on demand. Thread-safe.</summary>
internal sealed class MqttConnection : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly MqttClientOptions _options;
    private readonly SemaphoreSlim _connectLock = new(1, 1);

    public MqttConnection(MqttClientFactory factory, BrokerSettings broker, string clientId, string? willTopic, byte[]? willPayload)
    {
        _client = factory.CreateMqttClient();
        var builder = factory.CreateClientOptionsBuilder()
            .WithTcpServer(broker.Host, broker.Port)
            .WithClientId(clientId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(true)
            .WithKeepAlivePeriod(broker.KeepAlive)
            .WithTimeout(broker.ConnectTimeout);
        if (!string.IsNullOrEmpty(broker.Username))
        {
            builder = builder.WithCredentials(broker.Username, broker.Password ?? "");
        }

        if (willTopic is not null && willPayload is not null)
        {
            builder = builder.WithWillTopic(willTopic).WithWillPayload(willPayload).WithWillRetain(true)
                .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        }

        _options = builder.Build();
    }

    public bool IsConnected => _client.IsConnected;

    public async Task EnsureConnectedAsync(CancellationToken cancellationToken)
    {
        if (_client.IsConnected)
        {
            return;
        }

        await _connectLock.WaitAsync(cancellationToken);
        try
        {
            if (!_client.IsConnected)
            {
                await _client.ConnectAsync(_options, cancellationToken);
            }
        }
        finally
        {
            _connectLock.Release();
        }
    }

    public async Task PublishAsync(SimMessage message, CancellationToken cancellationToken)
    {
        await EnsureConnectedAsync(cancellationToken);
        var application = new MqttApplicationMessage
        {
            Topic = message.Topic,
            Payload = new ReadOnlySequence<byte>(message.Payload),
            Retain = message.Retain,
            QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce,
        };
        var result = await _client.PublishAsync(application, cancellationToken);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"The broker refused {message.Topic}: {result.ReasonCode} {result.ReasonString}");
        }
    }

    /// <summary>Ends the session so that the broker publishes the will (MQTT 5 reason "disconnect with will message").</summary>
    public async Task DropWithWillAsync(CancellationToken cancellationToken)
    {
        await _connectLock.WaitAsync(cancellationToken);
        try
        {
            if (_client.IsConnected)
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptions { Reason = MqttClientDisconnectOptionsReason.DisconnectWithWillMessage }, cancellationToken);
            }
        }
        finally
        {
            _connectLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_client.IsConnected)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _client.DisconnectAsync(new MqttClientDisconnectOptions { Reason = MqttClientDisconnectOptionsReason.NormalDisconnection }, timeout.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException)
        {
            // Closing anyway: the broker sees the socket end.
        }

        _client.Dispose();
        _connectLock.Dispose();
    }
}
