using System.Buffers;
using Ioc.Simulators.Generation;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Ioc.Simulators.Publishing;

/// <summary>One MQTT v5 client that (re)connects on demand. Thread-safe.</summary>
internal sealed class MqttConnection : IAsyncDisposable
{
    private readonly MqttClientFactory _factory;
    private IMqttClient _client;
    private readonly MqttClientOptions _options;
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private readonly HashSet<Task> _pending = [];
    private Task _dropping = Task.CompletedTask;
    private readonly bool _trackPending;

    public MqttConnection(MqttClientFactory factory, BrokerSettings broker, string clientId, string? willTopic, byte[]? willPayload)
    {
        _trackPending = willTopic is not null;
        _factory = factory;
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

    /// <summary>Publishes; the returned task is tracked so a will-disconnect waits for the device's earlier messages.</summary>
    public Task PublishAsync(SimMessage message, CancellationToken cancellationToken)
    {
        var task = PublishCoreAsync(message, cancellationToken);
        if (!_trackPending)
        {
            return task;
        }

        lock (_pending)
        {
            _pending.Add(task);
        }

        _ = task.ContinueWith(
            t =>
            {
                lock (_pending)
                {
                    _pending.Remove(t);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return task;
    }

    private async Task PublishCoreAsync(SimMessage message, CancellationToken cancellationToken)
    {
        // Messages issued after a will-drop (a device back from a cut) go out only once the drop is done.
        var dropping = _dropping;
        if (!dropping.IsCompleted)
        {
            await dropping;
        }

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

    /// <summary>Ends the connection without DISCONNECT so that the broker publishes the will; later publishes wait for it.</summary>
    public Task DropWithWillAsync(CancellationToken cancellationToken)
    {
        var drop = DropCoreAsync(cancellationToken);
        _dropping = drop.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return drop;
    }

    private async Task DropCoreAsync(CancellationToken cancellationToken)
    {
        Task[] earlier;
        lock (_pending)
        {
            earlier = [.. _pending];
        }

        // A backlog sends a device's last messages and its will within milliseconds: let those be acknowledged first.
        await Task.WhenAll(earlier).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        await _connectLock.WaitAsync(cancellationToken);
        try
        {
            // No DISCONNECT: the connection just ends, as a failing device's does, and every broker publishes the will
            // (MQTTnet's server ignores MQTT 5's "disconnect with will message"). The next publish connects a fresh client.
            var dropped = _client;
            _client = _factory.CreateMqttClient();
            dropped.Dispose();
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
