using System.Buffers;
using System.Runtime.InteropServices;
using Ioc.Collector.Configuration;
using Ioc.Collector.Diagnostics;
using Ioc.Collector.Pipeline;
using Ioc.Contract;
using Ioc.Mqtt;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;

namespace Ioc.Collector.Mqtt;

/// <summary>
/// Holds the subscriber connections (several in a shared-subscription group, since one MQTTnet client tops out near
/// 10–13k msg/s), each a <see cref="BrokerClient"/> with a persistent session and manual acknowledgement, and puts every
/// message on the ingest queue unacknowledged. When the queue is full the handler waits, which stops reading from the broker.
/// </summary>
public sealed partial class MqttIngressService : BackgroundService
{
    private readonly IngestQueue _ingest;
    private readonly DeviceRateLimiter _limiter;
    private readonly PipelineDrain _drain;
    private readonly CollectorMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<MqttIngressService> _logger;
    private readonly MqttConnectionOptions _mqtt;
    private readonly CollectorOptions _options;
    private readonly BrokerClient[] _clients;
    private CancellationToken _stoppingToken;
    private volatile bool _stopping;
    private long _startedAt;

    public MqttIngressService(
        IngestQueue ingest,
        DeviceRateLimiter limiter,
        PipelineDrain drain,
        CollectorMetrics metrics,
        [FromKeyedServices(CollectorOptions.MqttComponent)] MqttConnectionOptions mqtt,
        IOptions<CollectorOptions> options,
        IOptions<ContractOptions> contract,
        TimeProvider time,
        ILogger<MqttIngressService> logger,
        ILogger<BrokerClient> clientLogger)
    {
        _ingest = ingest;
        _limiter = limiter;
        _drain = drain;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _mqtt = mqtt;
        _options = options.Value;
        var prefix = mqtt.ClientIdOr(CollectorOptions.DefaultClientId);
        var plan = SubscriptionPlan.For(_options, contract.Value.ExtraDeviceTypes);
        Func<MqttApplicationMessageReceivedEventArgs, Task> onMessage = OnMessageAsync;
        _clients = Enumerable.Range(0, _options.Connections)
            .Select(i => new BrokerClient(
                mqtt,
                // Stable ids: each connection finds its persistent session (and, partitioned, its own slice) again after a restart.
                new BrokerClientSettings { ClientId = $"{prefix}-{i}", Subscriptions = plan[i], PersistentSession = true, AutoAcknowledge = false, CoalesceWrites = _options.CoalesceAcknowledgements },
                onMessage,
                clientLogger,
                time))
            .ToArray();
        foreach (var client in _clients)
        {
            // The backlog of a persistent session may arrive before the "connected" event (between CONNACK and the
            // subscription): the grace starts on the loss of a connection as well as on its return, and at start.
            client.ConnectionChanged += (_, _) => limiter.Connected();
        }
    }

    /// <summary>Connections currently up.</summary>
    public int ConnectedCount
    {
        get
        {
            var connected = 0;
            foreach (var client in _clients)
            {
                connected += client.IsConnected ? 1 : 0;
            }

            return connected;
        }
    }

    public int ConnectionCount => _clients.Length;

    /// <summary>
    /// True while the first connection attempt is under way: no connection has been up yet, none has failed an attempt,
    /// and the connect timeout (<c>Ioc:Mqtt:ConnectTimeout</c>, plus a second) has not passed since the start. A
    /// collector in this state is starting, not failing; after it, no connection up is a failure.
    /// </summary>
    public bool FirstConnectPending
    {
        get
        {
            foreach (var client in _clients)
            {
                if (client.HasConnected || client.FailedAttempts > 0)
                {
                    return false;
                }
            }

            var started = Interlocked.Read(ref _startedAt);
            return started == 0 || _time.GetElapsedTime(started) < _mqtt.ConnectTimeout + TimeSpan.FromSeconds(1);
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stoppingToken = stoppingToken;
        Log.Starting(_logger, _clients.Length, _mqtt.Host, _mqtt.Port, _options.SubscriptionFilter);
        _limiter.Connected();
        Interlocked.Exchange(ref _startedAt, _time.GetTimestamp());
        foreach (var client in _clients)
        {
            client.Start();
        }

        return Task.CompletedTask;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Stop intake, let the pipeline store and acknowledge what it holds, then leave. Anything that arrives
        // meanwhile stays unacknowledged in our persistent session and comes back after the restart.
        _stopping = true;
        _ingest.Writer.TryComplete();
        await Task.WhenAny(_drain.Drained, Task.Delay(Timeout.Infinite, cancellationToken));
        Log.Drained(_logger, _drain.Drained.IsCompleted);
        await base.StopAsync(cancellationToken);
        // A normal disconnect keeps the sessions (clean start is off, expiry is set): unacknowledged and newly published
        // messages wait at the broker for our return.
        await Task.WhenAll(_clients.Select(c => c.StopAsync(cancellationToken)));
    }

    public override void Dispose()
    {
        foreach (var client in _clients)
        {
            client.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        base.Dispose();
    }

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var topic = e.ApplicationMessage.Topic;
        if (topic.StartsWith(Topics.SystemPrefix, StringComparison.Ordinal))
        {
            // Our own announcements (alerts, health) share the tree; they are not device data: acknowledged at once.
            e.AutoAcknowledge = true;
            _metrics.MessageIgnored();
            return Task.CompletedTask;
        }

        if (_stopping)
        {
            return Task.CompletedTask;
        }

        _metrics.MessageReceived();
        var decision = _limiter.Check(topic);
        if (decision != RateDecision.Pass)
        {
            // Over the device's rate: refused before the queue, so the flood cannot stand in front of other devices.
            _metrics.MessageRejected(RejectReason.RateLimited);
            if (decision == RateDecision.Limited)
            {
                e.AutoAcknowledge = true;
                return Task.CompletedTask;
            }
        }

        var message = new InboundMessage(topic, PayloadArray(e.ApplicationMessage.Payload), _time.GetUtcNow(), e.AcknowledgeAsync, decision == RateDecision.LimitedSample);
        return _ingest.Writer.TryWrite(message) ? Task.CompletedTask : WriteSlowAsync(message);
    }

    /// <summary>
    /// The payload as an array without a copy when it already is one whole array: MQTTnet 5.2 gives each received
    /// PUBLISH its own payload array (<c>MqttBufferReader.ReadRemainingData</c>), read-only from here on. Otherwise a copy.
    /// </summary>
    internal static byte[] PayloadArray(in ReadOnlySequence<byte> payload)
    {
        if (payload.IsSingleSegment && MemoryMarshal.TryGetArray(payload.First, out var segment)
            && segment.Offset == 0 && segment.Count == segment.Array!.Length)
        {
            return segment.Array;
        }

        return payload.ToArray();
    }

    private async Task WriteSlowAsync(InboundMessage message)
    {
        try
        {
            await _ingest.Writer.WriteAsync(message, _stoppingToken);
        }
        catch (Exception ex) when (ex is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
        {
            // Shutting down: left unacknowledged, the broker delivers it again after restart.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Collector opening {Connections} MQTT connection(s) to {Host}:{Port}, subscribing to {Filter} at QoS 1")]
        public static partial void Starting(ILogger logger, int connections, string host, int port, string filter);

        [LoggerMessage(Level = LogLevel.Information, Message = "Collector stopping: pipeline drained before disconnect: {Drained}")]
        public static partial void Drained(ILogger logger, bool drained);
    }
}
