using System.Buffers;
using System.Text.Json;
using Ioc.Collector.Configuration;
using Ioc.Collector.Pipeline;
using Ioc.Contract;
using Ioc.Mqtt;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ioc.Collector.Diagnostics;

/// <summary>
/// Publishes the collector's own health as a device of type <c>collector</c>
/// (<c>ioc/v1/{Health:Site}/collector/{Health:CollectorId}/telemetry</c>) every <see cref="CollectorHealthOptions.PublishInterval"/>
/// seconds and at once on every change of state or of the set of flooding devices, through its own broker connection; and
/// one <c>device_flooding</c> event a minute per device over the rate limit. Like any device's, these messages are stored
/// (history) and evaluated by the alert engine (rules <c>collector-degraded</c>, <c>collector-failing</c>, <c>device-flooding</c>).
/// With the broker down nothing can be published: /healthz and the logs are then the only signs.
/// </summary>
public sealed partial class CollectorHealthPublisher : BackgroundService
{
    private static readonly TimeSpan Check = TimeSpan.FromSeconds(1);
    private readonly CollectorStatus _status;
    private readonly DeviceRateLimiter _limiter;
    private readonly CollectorOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<CollectorHealthPublisher> _logger;
    private readonly BrokerClient? _client;
    private readonly string _telemetryTopic;
    private readonly string _eventTopic;

    public CollectorHealthPublisher(
        CollectorStatus status,
        DeviceRateLimiter limiter,
        [FromKeyedServices(CollectorOptions.MqttComponent)] MqttConnectionOptions mqtt,
        IOptions<CollectorOptions> options,
        TimeProvider time,
        ILogger<CollectorHealthPublisher> logger,
        ILogger<BrokerClient> clientLogger)
    {
        _status = status;
        _limiter = limiter;
        _options = options.Value;
        _time = time;
        _logger = logger;
        var prefix = mqtt.ClientIdOr(CollectorOptions.DefaultClientId);
        CollectorId = _options.Health.CollectorId ?? prefix;
        var device = new DeviceAddress(_options.Health.Site, DeviceTypes.Collector, CollectorId);
        _telemetryTopic = Topics.For(device, MessageChannel.Telemetry);
        _eventTopic = Topics.For(device, MessageChannel.Event);
        if (_options.Health.PublishInterval > 0)
        {
            _client = new BrokerClient(mqtt, new BrokerClientSettings { ClientId = prefix + "-health" }, null, clientLogger, time);
        }
    }

    public string CollectorId { get; }

    public string TelemetryTopic => _telemetryTopic;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_client is null)
        {
            return;
        }

        _client.Start();
        var interval = TimeSpan.FromSeconds(_options.Health.PublishInterval);
        var lastLevel = -1;
        var loggedLevel = 0;
        var lastFlooding = -1;
        var lastSent = long.MinValue;
        var brokerDown = false;
        using var timer = new PeriodicTimer(Check, _time);
        do
        {
            var snapshot = _status.Snapshot();
            var flooding = _limiter.Flooding(out var due);
            var now = _time.GetTimestamp();
            if (snapshot.Health != loggedLevel)
            {
                loggedLevel = snapshot.Health;
                Log.StateChanged(_logger, snapshot.Status, string.Join("; ", snapshot.Reasons));
            }

            // Nothing can be published without the broker, and a report taken before the first connection would say
            // "failing: no broker connection" for a state that is over by the time it is sent: wait for the connection.
            if (!_client.IsConnected)
            {
                continue;
            }

            var changed = snapshot.Health != lastLevel || flooding.Count != lastFlooding;
            if (!changed && _time.GetElapsedTime(lastSent, now) < interval && due.Count == 0)
            {
                continue;
            }

            try
            {
                await _client.PublishAsync(_telemetryTopic, Telemetry(snapshot, flooding.Count), cancellationToken: stoppingToken);
                foreach (var device in due)
                {
                    Log.Flooding(_logger, device.Device, device.Rate, _limiter.Rate);
                    await _client.PublishAsync(_eventTopic, FloodEvent(device), cancellationToken: stoppingToken);
                }

                lastLevel = snapshot.Health;
                lastFlooding = flooding.Count;
                lastSent = now;
                brokerDown = false;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                if (!brokerDown)
                {
                    brokerDown = true;
                    Log.PublishFailed(_logger, _telemetryTopic, ex.Message);
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_client is not null)
        {
            await _client.StopAsync(cancellationToken);
        }
    }

    public override void Dispose()
    {
        _client?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        base.Dispose();
    }

    private byte[] Telemetry(CollectorSnapshot snapshot, int flooding)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("ts", _time.GetUtcNow().ToUnixTimeMilliseconds());
            json.WriteStartObject("metrics");
            json.WriteNumber("health", snapshot.Health);
            json.WriteNumber("spool_bytes", snapshot.SpoolBytes);
            json.WriteNumber("spool_segments", snapshot.SpoolSegments);
            json.WriteBoolean("spool_full", snapshot.SpoolFull);
            json.WriteBoolean("spool_failing", snapshot.SpoolError is not null);
            json.WriteBoolean("store_up", snapshot.StoreUp);
            json.WriteNumber("no_write_seconds", snapshot.NoWriteSeconds);
            json.WriteNumber("held_batches", snapshot.HeldBatches);
            json.WriteNumber("queue_depth", snapshot.QueueDepth);
            json.WriteNumber("decoder_faults", snapshot.DecoderFaults);
            json.WriteNumber("flood_devices", flooding);
            json.WriteNumber("rate_limited", snapshot.RateLimited);
            json.WriteNumber("write_p99_ms", snapshot.WriteLatencyP99Ms);
            if (snapshot.Syslog is { Listeners.Count: > 0 } syslog)
            {
                json.WriteNumber("syslog_received", syslog.Received);
                json.WriteNumber("syslog_dropped", syslog.Dropped);
                json.WriteNumber("syslog_rejected", syslog.Rejected);
                json.WriteNumber("syslog_unknown_sender", syslog.UnknownSender);
            }

            if (snapshot.Reasons.Count > 0)
            {
                var reason = snapshot.Reasons[0];
                json.WriteString("reason", reason.Length > 250 ? reason[..250] : reason);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private byte[] FloodEvent(FloodingDevice device)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("ts", _time.GetUtcNow().ToUnixTimeMilliseconds());
            json.WriteString("type", "device_flooding");
            json.WriteString("severity", "major");
            json.WriteString("message", $"{device.Device} sends over {_limiter.Rate} msg/s; the excess is refused as rate_limited");
            json.WriteStartObject("attrs");
            json.WriteString("flood_device", device.Device);
            json.WriteNumber("rate", device.Rate);
            json.WriteNumber("limit", _limiter.Rate);
            json.WriteNumber("refused", device.Limited);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Collector health {Status}: {Reasons}")]
        public static partial void StateChanged(ILogger logger, string status, string reasons);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Device {Device} floods the collector (about {Rate} msg/s, limit {Limit}); the excess is refused as rate_limited")]
        public static partial void Flooding(ILogger logger, string device, double rate, double limit);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish the collector's health on {Topic} ({Error}); retrying every second. Without the broker, /healthz is the only report")]
        public static partial void PublishFailed(ILogger logger, string topic, string error);
    }
}
