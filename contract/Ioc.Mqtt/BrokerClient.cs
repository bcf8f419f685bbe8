using System.Net.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace Ioc.Mqtt;

public enum BrokerConnectionState
{
    Disconnected,
    Connecting,
    Connected,
    Stopped,
}

/// <summary>
/// One MQTT 5 connection that stays up: the message handler is attached before connecting; a loop owned by the client
/// (not the disconnect event) reconnects with jittered exponential backoff and subscribes again on every connect.
/// Thread-safe. Start it with <see cref="Start"/> (never throws, keeps trying) or <see cref="ConnectAsync"/> (first
/// attempt now, throws if it fails, then the loop keeps it up); end it with <see cref="StopAsync"/> (DISCONNECT: no will,
/// the persistent session stays) or <see cref="DropAsync"/> (no DISCONNECT: the broker publishes the will).
/// </summary>
public sealed partial class BrokerClient : IAsyncDisposable
{
    private static readonly MqttClientFactory Factory = new();

    private readonly MqttConnectionOptions _options;
    private readonly BrokerClientSettings _settings;
    private readonly Func<MqttApplicationMessageReceivedEventArgs, Task>? _onMessage;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly MqttClientOptions _clientOptions;
    private readonly MqttClientSubscribeOptions? _subscribeOptions;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _stateLock = new();
    private readonly HashSet<Task>? _pending;
    private IMqttClient _client;
    private TaskCompletionSource _connected = NewSignal();
    private Task? _loop;
    private Task _dropping = Task.CompletedTask;
    private volatile int _state;
    private volatile bool _paused;
    private volatile bool _stopping;
    private volatile bool _everConnected;
    private int _failedAttempts;

    /// <param name="options">Where the broker is and how to hold the connection (section <c>Ioc:Mqtt</c>).</param>
    /// <param name="settings">This connection's role: client id, subscriptions, session, acknowledgement, will.</param>
    /// <param name="onMessage">Called for every message received, on MQTTnet's receive loop: keep it short, or await to hold the socket (backpressure).</param>
    public BrokerClient(
        MqttConnectionOptions options,
        BrokerClientSettings settings,
        Func<MqttApplicationMessageReceivedEventArgs, Task>? onMessage = null,
        ILogger? logger = null,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentException.ThrowIfNullOrWhiteSpace(settings.ClientId);
        _options = options;
        _settings = settings;
        _onMessage = onMessage;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _clientOptions = BuildClientOptions(options, settings);
        _subscribeOptions = BuildSubscribeOptions(settings.Subscriptions);
        // A will marks a device-like client that may be dropped: a drop first lets the publishes already issued finish.
        _pending = settings.Will is null ? null : [];
        _client = CreateClient();
    }

    public string ClientId => _settings.ClientId;

    public string Endpoint => $"{_options.Host}:{_options.Port}";

    public BrokerConnectionState State => (BrokerConnectionState)_state;

    /// <summary>Connected and subscribed.</summary>
    public bool IsConnected => _state == (int)BrokerConnectionState.Connected;

    /// <summary>Connection attempts that failed since this client was created (refused, unreachable, timed out).</summary>
    public int FailedAttempts => Volatile.Read(ref _failedAttempts);

    /// <summary>Whether this client has been connected at least once.</summary>
    public bool HasConnected => _everConnected;

    /// <summary>Whether the broker still had this client's session on the last connect.</summary>
    public bool SessionPresent { get; private set; }

    /// <summary>Raised after every connect (true, once subscribed) and every loss (false). Handlers must return at once.</summary>
    public event Action<BrokerClient, bool>? ConnectionChanged;

    /// <summary>Starts the reconnect loop and returns at once; the first attempt is made right away.</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_stopping, this);
        _paused = false;
        EnsureLoop();
        _wake.Release();
    }

    /// <summary>Connects now and throws if that fails (refused, unreachable, subscription refused); once up, the loop keeps it up.</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_stopping, this);
        _paused = false;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        await TryConnectAsync(linked.Token);
        EnsureLoop();
    }

    /// <summary>Completes when the client is connected and subscribed.</summary>
    public Task WaitConnectedAsync(CancellationToken cancellationToken) => Volatile.Read(ref _connected).Task.WaitAsync(cancellationToken);

    /// <summary>
    /// Publishes and completes with the broker's answer (PUBACK for QoS 1). While the connection is down it waits for the
    /// loop to bring it back, up to <see cref="MqttConnectionOptions.ConnectTimeout"/>, then throws; after a
    /// <see cref="DropAsync"/> it reconnects first.
    /// </summary>
    public Task<MqttClientPublishResult> PublishAsync(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        if (_pending is null && _state == (int)BrokerConnectionState.Connected)
        {
            return _client.PublishAsync(message, cancellationToken);
        }

        var task = PublishSlowAsync(message, cancellationToken);
        if (_pending is not null)
        {
            Track(task);
        }

        return task;
    }

    /// <inheritdoc cref="PublishAsync(MqttApplicationMessage, CancellationToken)"/>
    public Task<MqttClientPublishResult> PublishAsync(
        string topic,
        ReadOnlyMemory<byte> payload,
        MqttQualityOfServiceLevel qualityOfService = MqttQualityOfServiceLevel.AtLeastOnce,
        bool retain = false,
        IReadOnlyList<MqttUserProperty>? userProperties = null,
        string? contentType = null,
        CancellationToken cancellationToken = default)
    {
        var message = new MqttApplicationMessage
        {
            Topic = topic,
            Payload = new System.Buffers.ReadOnlySequence<byte>(payload),
            QualityOfServiceLevel = qualityOfService,
            Retain = retain,
            ContentType = contentType,
            UserProperties = userProperties is null ? null : [.. userProperties],
        };
        return PublishAsync(message, cancellationToken);
    }

    /// <summary>
    /// Ends the connection without DISCONNECT, as a failing device's ends, so that the broker publishes the will. Publishes
    /// already issued finish first; later ones wait for the drop, then reconnect. The client stays down until then.
    /// </summary>
    public Task DropAsync(CancellationToken cancellationToken)
    {
        var drop = DropCoreAsync(cancellationToken);
        _dropping = drop.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return drop;
    }

    /// <summary>Stops the loop and disconnects normally: no will, and a persistent session stays at the broker with what it queues.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            if (_client.IsConnected)
            {
                if (_settings.CoalesceWrites)
                {
                    // A round trip before leaving: the broker answers PINGREQ after it has read every packet before it,
                    // so once PINGRESP is here the acknowledgements of the last coalesced flush have been taken, whatever
                    // happens to the socket's unsent and unread bytes when it closes (measured: without this, the broker
                    // delivered the tail of a 3,000-message acknowledged batch again in 2 of 7 runs).
                    await _client.PingAsync(cancellationToken);
                }

                var disconnect = new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build();
                await _client.DisconnectAsync(disconnect, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException)
        {
            Log.DisconnectFailed(_logger, ClientId, ex.Message);
        }
        finally
        {
            SetState(BrokerConnectionState.Stopped);
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
        {
            await StopAsync(timeout.Token);
        }

        _client.Dispose();
        _stop.Dispose();
    }

    internal static MqttClientOptions BuildClientOptions(MqttConnectionOptions options, BrokerClientSettings settings)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(options.Host, options.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(settings.ClientId)
            .WithKeepAlivePeriod(options.KeepAlive)
            .WithTimeout(options.ConnectTimeout)
            .WithReceiveMaximum((ushort)options.ReceiveMaximum);
        builder = settings.PersistentSession
            // The broker keeps the subscriptions and queues QoS 1 messages while we are away.
            ? builder.WithCleanStart(false).WithSessionExpiryInterval((uint)options.SessionExpiry.TotalSeconds)
            : builder.WithCleanStart(true);
        if (!string.IsNullOrEmpty(options.Username))
        {
            builder = builder.WithCredentials(options.Username, options.Password ?? string.Empty);
        }

        if (options.UseTls)
        {
            var allowUntrusted = options.AllowUntrustedCertificates;
            builder = builder.WithTlsOptions(tls => tls
                .UseTls()
                .WithAllowUntrustedCertificates(allowUntrusted)
                .WithIgnoreCertificateChainErrors(allowUntrusted)
                .WithCertificateValidationHandler(e => allowUntrusted || e.SslPolicyErrors == SslPolicyErrors.None));
        }

        if (settings.Will is { } will)
        {
            builder = builder.WithWillTopic(will.Topic).WithWillPayload(will.Payload).WithWillRetain(will.Retain)
                .WithWillQualityOfServiceLevel(will.QualityOfService);
        }

        return builder.Build();
    }

    private static MqttClientSubscribeOptions? BuildSubscribeOptions(IReadOnlyList<MqttSubscription> subscriptions)
    {
        if (subscriptions.Count == 0)
        {
            return null;
        }

        var builder = new MqttClientSubscribeOptionsBuilder();
        foreach (var subscription in subscriptions)
        {
            builder = builder.WithTopicFilter(f => f.WithTopic(subscription.Filter).WithQualityOfServiceLevel(subscription.QualityOfService));
        }

        return builder.Build();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private IMqttClient CreateClient()
    {
        var client = _settings.CoalesceWrites ? Factory.CreateMqttClient(CoalescingAdapterFactory.Instance) : Factory.CreateMqttClient();
        if (_onMessage is not null)
        {
            // Attached before the first connect: a persistent session delivers its queue right after CONNACK.
            var onMessage = _onMessage;
            if (_settings.AutoAcknowledge)
            {
                client.ApplicationMessageReceivedAsync += onMessage;
            }
            else
            {
                client.ApplicationMessageReceivedAsync += e =>
                {
                    e.AutoAcknowledge = false;
                    return onMessage(e);
                };
            }
        }

        client.DisconnectedAsync += e => OnDisconnectedAsync(client, e);
        return client;
    }

    private void EnsureLoop()
    {
        lock (_stateLock)
        {
            _loop ??= Task.Run(() => RunAsync(_stop.Token));
        }
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        var delay = _options.ReconnectMinDelay;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (_paused || _state == (int)BrokerConnectionState.Connected)
                {
                    // Woken by a lost connection, a publish after a drop, or Start.
                    await _wake.WaitAsync(stoppingToken);
                    continue;
                }

                await TryConnectAsync(stoppingToken);
                delay = _options.ReconnectMinDelay;
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // The first failure of an outage is a warning; the retries are not news.
                var wait = Jitter(delay);
                if (failures++ == 0)
                {
                    Log.ConnectFailed(_logger, ClientId, Endpoint, ex.Message, wait);
                }
                else
                {
                    Log.ConnectRetryFailed(_logger, ClientId, Endpoint, failures, ex.Message, wait);
                }

                try
                {
                    await Task.Delay(wait, _time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.ReconnectMaxDelay.Ticks));
            }
        }
    }

    private async Task TryConnectAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_state == (int)BrokerConnectionState.Connected)
            {
                return;
            }

            SetState(BrokerConnectionState.Connecting);
            var client = _client;
            try
            {
                var result = await client.ConnectAsync(_clientOptions, cancellationToken);
                if (result.ResultCode != MqttClientConnectResultCode.Success)
                {
                    throw new InvalidOperationException($"the broker refused the connection: {result.ResultCode} {result.ReasonString}");
                }

                if (_subscribeOptions is not null)
                {
                    // Every time, even with a session present: the broker may have lost the subscriptions.
                    var granted = await client.SubscribeAsync(_subscribeOptions, cancellationToken);
                    foreach (var item in granted.Items)
                    {
                        if (item.ResultCode > MqttClientSubscribeResultCode.GrantedQoS2)
                        {
                            throw new InvalidOperationException($"the broker refused the subscription to {item.TopicFilter.Topic}: {item.ResultCode}");
                        }
                    }
                }

                SessionPresent = result.IsSessionPresent;
            }
            catch
            {
                Interlocked.Increment(ref _failedAttempts);
                SetState(BrokerConnectionState.Disconnected);
                if (client.IsConnected)
                {
                    try
                    {
                        await client.DisconnectAsync(new MqttClientDisconnectOptions(), CancellationToken.None);
                    }
                    catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException or OperationCanceledException)
                    {
                        Log.DisconnectFailed(_logger, ClientId, ex.Message);
                    }
                }

                throw;
            }

            if (!SetConnected(client))
            {
                throw new InvalidOperationException("the connection ended while subscribing");
            }
        }
        finally
        {
            _gate.Release();
        }

        Log.Connected(_logger, ClientId, Endpoint, SessionPresent, _settings.Subscriptions.Count);
        ConnectionChanged?.Invoke(this, true);
    }

    private bool SetConnected(IMqttClient client)
    {
        lock (_stateLock)
        {
            if (!client.IsConnected)
            {
                _state = (int)BrokerConnectionState.Disconnected;
                return false;
            }

            _state = (int)BrokerConnectionState.Connected;
            _everConnected = true;
            _connected.TrySetResult();
            return true;
        }
    }

    /// <summary>Leaves Connected (if it was); true when this call did, so that exactly one caller reports the loss.</summary>
    private bool SetState(BrokerConnectionState state)
    {
        lock (_stateLock)
        {
            var wasConnected = _state == (int)BrokerConnectionState.Connected;
            if (_state == (int)BrokerConnectionState.Stopped)
            {
                return false;
            }

            _state = (int)state;
            if (wasConnected && _connected.Task.IsCompleted)
            {
                _connected = NewSignal();
            }

            return wasConnected;
        }
    }

    private Task OnDisconnectedAsync(IMqttClient client, MqttClientDisconnectedEventArgs e)
    {
        if (!ReferenceEquals(client, _client) || !SetState(BrokerConnectionState.Disconnected))
        {
            // A failed attempt (the loop reports it), a dropped client, or already handled.
            return Task.CompletedTask;
        }

        if (!_stopping && !_paused)
        {
            Log.Disconnected(_logger, ClientId, Endpoint, e.Reason.ToString(), e.Exception?.Message);
        }

        ConnectionChanged?.Invoke(this, false);
        _wake.Release();
        return Task.CompletedTask;
    }

    private async Task<MqttClientPublishResult> PublishSlowAsync(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        // Messages issued after a drop (a device back from a cut) go out only once the drop is done.
        var dropping = _dropping;
        if (!dropping.IsCompleted)
        {
            await dropping;
        }

        if (_state != (int)BrokerConnectionState.Connected)
        {
            ObjectDisposedException.ThrowIf(_stopping, this);
            if (_paused || _loop is null)
            {
                _paused = false;
                EnsureLoop();
                _wake.Release();
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.ConnectTimeout);
            try
            {
                await WaitConnectedAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new InvalidOperationException($"{ClientId}: not connected to {Endpoint} within {_options.ConnectTimeout}; {message.Topic} not sent.");
            }
        }

        return await _client.PublishAsync(message, cancellationToken);
    }

    private void Track(Task task)
    {
        lock (_pending!)
        {
            _pending.Add(task);
        }

        _ = task.ContinueWith(
            (t, state) =>
            {
                var pending = (HashSet<Task>)state!;
                lock (pending)
                {
                    pending.Remove(t);
                }
            },
            _pending,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private async Task DropCoreAsync(CancellationToken cancellationToken)
    {
        if (_pending is not null)
        {
            Task[] earlier;
            lock (_pending)
            {
                earlier = [.. _pending];
            }

            // A backlog sends a device's last messages and its will within milliseconds: let those be acknowledged first.
            await Task.WhenAll(earlier).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            _paused = true;
            // No DISCONNECT: the connection just ends and every broker publishes the will (MQTTnet's server ignores MQTT 5's
            // "disconnect with will message"). A fresh MQTTnet client takes its place for the next connect.
            var dropped = _client;
            _client = CreateClient();
            var wasConnected = SetState(BrokerConnectionState.Disconnected);
            dropped.Dispose();
            Log.Dropped(_logger, ClientId);
            if (wasConnected)
            {
                ConnectionChanged?.Invoke(this, false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private static TimeSpan Jitter(TimeSpan delay) => delay * (0.8 + (Random.Shared.NextDouble() * 0.4));

    private static partial class Log
    {
        [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "MQTT {ClientId} connected to {Endpoint} (session present: {SessionPresent}, {Subscriptions} subscription(s))")]
        public static partial void Connected(ILogger logger, string clientId, string endpoint, bool sessionPresent, int subscriptions);

        [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "MQTT {ClientId} lost its connection to {Endpoint} ({Reason}: {Error}); reconnecting")]
        public static partial void Disconnected(ILogger logger, string clientId, string endpoint, string reason, string? error);

        [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "MQTT {ClientId} cannot connect to {Endpoint} ({Error}); retrying in {Delay}")]
        public static partial void ConnectFailed(ILogger logger, string clientId, string endpoint, string error, TimeSpan delay);

        [LoggerMessage(EventId = 1103, Level = LogLevel.Debug, Message = "MQTT {ClientId} attempt {Attempt} to {Endpoint} failed ({Error}); retrying in {Delay}")]
        public static partial void ConnectRetryFailed(ILogger logger, string clientId, string endpoint, int attempt, string error, TimeSpan delay);

        [LoggerMessage(EventId = 1104, Level = LogLevel.Debug, Message = "MQTT {ClientId} dropped its connection without DISCONNECT (the broker publishes its will)")]
        public static partial void Dropped(ILogger logger, string clientId);

        [LoggerMessage(EventId = 1105, Level = LogLevel.Warning, Message = "MQTT {ClientId} disconnect failed: {Error}")]
        public static partial void DisconnectFailed(ILogger logger, string clientId, string error);
    }
}
