using System.Buffers;
using Ioc.Collector.Configuration;
using Ioc.Collector.Diagnostics;
using Ioc.Collector.Pipeline;
using Ioc.Contract;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;

namespace Ioc.Collector.Mqtt;

/// <summary>
/// Holds the subscriber connections (several in a shared-subscription group, since one MQTTnet client tops out
/// near 10–13k msg/s), reconnects each with backoff from a loop it owns, and puts every message on the ingest
/// queue unacknowledged. When the queue is full the handler waits, which stops reading from the broker.
/// </summary>
public sealed partial class MqttIngressService(
    IngestQueue ingest,
    PipelineDrain drain,
    CollectorMetrics metrics,
    IOptions<MqttOptions> options,
    TimeProvider time,
    ILogger<MqttIngressService> logger) : BackgroundService
{
    private readonly MqttOptions _options = options.Value;
    private readonly List<IMqttClient> _clients = [];
    private int _connected;
    private volatile bool _stopping;

    /// <summary>Connections currently up.</summary>
    public int ConnectedCount => Volatile.Read(ref _connected);

    public int ConnectionCount => _options.Connections;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Log.Starting(logger, _options.Connections, _options.Host, _options.Port, _options.SubscriptionFilter);
        var loops = Enumerable.Range(0, _options.Connections).Select(i => RunConnectionAsync(i, stoppingToken));
        return Task.WhenAll(loops);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Stop intake, let the pipeline store and acknowledge what it holds, then leave. Anything that arrives
        // meanwhile stays unacknowledged in our persistent session and comes back after the restart.
        _stopping = true;
        ingest.Writer.TryComplete();
        await Task.WhenAny(drain.Drained, Task.Delay(Timeout.Infinite, cancellationToken));
        Log.Drained(logger, drain.Drained.IsCompleted);
        await base.StopAsync(cancellationToken);
        foreach (var client in _clients)
        {
            try
            {
                if (client.IsConnected)
                {
                    // A normal disconnect keeps the session (clean start is off, expiry is set): unacknowledged
                    // and newly published messages wait at the broker for our return.
                    await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), cancellationToken);
                }
            }
            catch (Exception ex)
            {
                Log.DisconnectFailed(logger, ex.Message);
            }
        }

    }

    public override void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        base.Dispose();
    }

    private async Task RunConnectionAsync(int index, CancellationToken stoppingToken)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        lock (_clients)
        {
            _clients.Add(client);
        }

        var disconnected = new SemaphoreSlim(0);
        var up = 0;
        client.ApplicationMessageReceivedAsync += e => OnMessageAsync(e, stoppingToken);
        client.DisconnectedAsync += e =>
        {
            if (Interlocked.Exchange(ref up, 0) == 1)
            {
                Interlocked.Decrement(ref _connected);
                if (!_stopping)
                {
                    Log.Disconnected(logger, index, e.Reason.ToString(), e.Exception?.Message);
                }

                disconnected.Release();
            }

            return Task.CompletedTask;
        };

        var clientOptions = MqttClientOptionsFactory.Create(_options, index);
        var delay = _options.ReconnectMinDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var result = await client.ConnectAsync(clientOptions, stoppingToken);
                if (result.ResultCode != MqttClientConnectResultCode.Success)
                {
                    throw new InvalidOperationException($"broker refused the connection: {result.ResultCode} {result.ReasonString}");
                }

                var subscribe = new MqttClientSubscribeOptionsBuilder()
                    .WithTopicFilter(f => f.WithTopic(_options.SubscriptionFilter).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
                    .Build();
                var granted = await client.SubscribeAsync(subscribe, stoppingToken);
                var code = granted.Items.First().ResultCode;
                if ((int)code > 2)
                {
                    throw new InvalidOperationException($"broker refused the subscription to {_options.SubscriptionFilter}: {code}");
                }

                Interlocked.Exchange(ref up, 1);
                Interlocked.Increment(ref _connected);
                Log.Connected(logger, index, clientOptions.ClientId, result.IsSessionPresent);
                delay = _options.ReconnectMinDelay;
                await disconnected.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                Log.ConnectFailed(logger, index, _options.Host, _options.Port, ex.Message, delay);
                if (client.IsConnected)
                {
                    await client.DisconnectAsync(new MqttClientDisconnectOptions(), CancellationToken.None);
                }

                try
                {
                    await Task.Delay(Jitter(delay), time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.ReconnectMaxDelay.Ticks));
            }
        }
    }

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e, CancellationToken stoppingToken)
    {
        var topic = e.ApplicationMessage.Topic;
        if (topic.StartsWith(Topics.SystemPrefix, StringComparison.Ordinal))
        {
            // Our own announcements (alerts, health) share the tree; they are not device data.
            metrics.MessageIgnored();
            return;
        }

        e.AutoAcknowledge = false;
        if (_stopping)
        {
            return;
        }

        metrics.MessageReceived();
        var message = new InboundMessage(topic, e.ApplicationMessage.Payload.ToArray(), time.GetUtcNow(), e.AcknowledgeAsync);
        if (ingest.Writer.TryWrite(message))
        {
            return;
        }

        try
        {
            await ingest.Writer.WriteAsync(message, stoppingToken);
        }
        catch (Exception ex) when (ex is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
        {
            // Shutting down: left unacknowledged, the broker delivers it again after restart.
        }
    }

    private static TimeSpan Jitter(TimeSpan delay) => delay * (0.8 + Random.Shared.NextDouble() * 0.4);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Collector opening {Connections} MQTT connection(s) to {Host}:{Port}, subscribing to {Filter} at QoS 1")]
        public static partial void Starting(ILogger logger, int connections, string host, int port, string filter);

        [LoggerMessage(Level = LogLevel.Information, Message = "MQTT connection {Index} up as {ClientId} (session present: {SessionPresent})")]
        public static partial void Connected(ILogger logger, int index, string clientId, bool sessionPresent);

        [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT connection {Index} lost ({Reason}: {Error}); reconnecting")]
        public static partial void Disconnected(ILogger logger, int index, string reason, string? error);

        [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT connection {Index} to {Host}:{Port} failed ({Error}); retrying in {Delay}")]
        public static partial void ConnectFailed(ILogger logger, int index, string host, int port, string error, TimeSpan delay);

        [LoggerMessage(Level = LogLevel.Information, Message = "Collector stopping: pipeline drained before disconnect: {Drained}")]
        public static partial void Drained(ILogger logger, bool drained);

        [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT disconnect failed: {Error}")]
        public static partial void DisconnectFailed(ILogger logger, string error);
    }
}
