using System.Buffers;
using System.Text.Json;
using Ioc.Collector.Diagnostics;
using Ioc.Collector.Pipeline;
using Ioc.Contract;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ioc.Collector.Snmp;

/// <summary>
/// Polls every <c>Ioc:Snmp:Targets</c> device on its interval with net-snmp's tools and puts what it read, as the
/// contract's telemetry (JSON, the device's <c>telemetry</c> topic), on the collector's ingest queue: decoded, shown to
/// the alert rules and stored exactly like telemetry published over MQTT. A device that does not answer is logged and
/// counted (/healthz <c>snmp</c>), and polled again next interval.
/// </summary>
public sealed partial class SnmpPollerService(
    IngestQueue ingest,
    SnmpStatus status,
    CollectorMetrics collectorMetrics,
    IOptions<SnmpOptions> options,
    TimeProvider time,
    ILogger<SnmpPollerService> logger) : BackgroundService
{
    private readonly SnmpOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.Targets.Count == 0)
        {
            return;
        }

        using var tools = new SnmpTools(_options);
        await Task.WhenAll(_options.Targets.Select(t => PollLoopAsync(tools, t.Key, t.Value, stoppingToken)));
    }

    /// <summary>Reads one device once and returns the telemetry messages (the tests' seam).</summary>
    internal static async Task<List<SnmpReading>> ReadAsync(SnmpTools tools, string name, SnmpTarget target, CancellationToken cancellationToken)
    {
        var readings = new List<SnmpReading>();
        foreach (var profile in target.Profiles)
        {
            switch (profile)
            {
                case SnmpProfiles.Ups:
                    if (SnmpProfiles.ReadUps(SnmpProfiles.ParseValues(await tools.GetAsync(name, target, SnmpProfiles.UpsOids.Select(o => o.Oid), cancellationToken))) is { } ups)
                    {
                        readings.Add(ups);
                    }

                    break;
                case SnmpProfiles.Pdu:
                    if (SnmpProfiles.ReadPduLoad(SnmpProfiles.ParseValues(await tools.GetAsync(name, target, [SnmpProfiles.PduLoadOid], cancellationToken))) is { } pdu)
                    {
                        readings.Add(pdu);
                    }

                    break;
                case SnmpProfiles.Interfaces:
                    var values = new List<SnmpValue>();
                    foreach (var (column, _) in SnmpProfiles.InterfaceColumns)
                    {
                        values.AddRange(SnmpProfiles.ParseValues(await tools.WalkAsync(name, target, column, cancellationToken)));
                    }

                    readings.AddRange(SnmpProfiles.ReadInterfaces(values));
                    break;
            }
        }

        foreach (var root in target.Walk)
        {
            if (SnmpProfiles.Walked(SnmpProfiles.ParseValues(await tools.WalkAsync(name, target, root, cancellationToken))) is { } walked)
            {
                readings.Add(walked);
            }
        }

        return readings;
    }

    internal static byte[] Payload(SnmpReading reading, DateTimeOffset at)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("ts", at.ToUnixTimeMilliseconds());
            json.WriteStartObject("metrics");
            foreach (var (key, value) in reading.Metrics)
            {
                if (value is bool flag)
                {
                    json.WriteBoolean(key, flag);
                }
                else
                {
                    json.WriteNumber(key, (double)value);
                }
            }

            json.WriteEndObject();
            json.WriteStartObject("tags");
            json.WriteString("source", "snmp");
            foreach (var (key, value) in reading.Tags)
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private async Task PollLoopAsync(SnmpTools tools, string name, SnmpTarget target, CancellationToken stoppingToken)
    {
        var topic = target.DeviceAddress.Topic(MessageChannel.Telemetry);
        using var timer = new PeriodicTimer(target.Interval ?? _options.PollInterval, time);
        do
        {
            try
            {
                var at = time.GetUtcNow();
                var readings = await ReadAsync(tools, name, target, stoppingToken);
                foreach (var reading in readings)
                {
                    collectorMetrics.MessageReceived();
                    await ingest.Writer.WriteAsync(InboundMessage.Local(topic, Payload(reading, at), at), stoppingToken);
                }

                status.Polled(target.Device, readings.Count, null);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                status.Polled(target.Device, 0, ex.Message);
                Log.PollFailed(logger, name, target.Address, ex.Message);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "SNMP poll of {Name} ({Address}) failed: {Reason}")]
        public static partial void PollFailed(ILogger logger, string name, string address, string reason);
    }
}
