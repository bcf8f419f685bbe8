using System.Net;
using Ioc.Collector.Diagnostics;
using Ioc.Collector.Pipeline;
using Ioc.Contract;
using Ioc.Storage;
using Microsoft.Extensions.Options;

namespace Ioc.Collector.Syslog;

/// <summary>
/// One received syslog message → the sender's device (from its address or client certificate, never the message) →
/// parse → the contract's event payload on that device's <c>event</c> topic, as an <see cref="InboundMessage"/> for the
/// collector's ingest queue: from there it is decoded, admitted against the registry, shown to the alert engine and stored
/// exactly like an event published over MQTT. Unknown senders and malformed messages are counted and dead-lettered
/// with the source address. Thread-safe: every listener and connection calls it.
/// </summary>
public sealed class SyslogIngress(
    SyslogSenders senders,
    SyslogEventMapper mapper,
    SyslogMetrics metrics,
    SyslogDeadLetters deadLetters,
    CollectorMetrics collectorMetrics,
    IOptions<SyslogOptions> options,
    TimeProvider time)
{
    private readonly Dictionary<DeviceAddress, long> _lastTicks = [];
    private readonly int _maxBytes = options.Value.MaxMessageBytes;

    public SyslogMetrics Metrics => metrics;

    public SyslogSenders Senders => senders;

    /// <summary>The message to enqueue, or null when it was refused (counted and dead-lettered here).</summary>
    public InboundMessage? Prepare(string transport, IPEndPoint remote, string? certificateKey, ReadOnlySpan<byte> frame, out SyslogMetrics.Counters source)
    {
        var now = time.GetUtcNow();
        var known = senders.TryResolve(remote.Address, certificateKey, out var device);
        source = metrics.For(remote.Address, known ? device : null);
        metrics.Received1(source);
        var parsed = SyslogParser.Parse(frame, _maxBytes);
        if (!known)
        {
            var reported = parsed.Message?.Hostname is { } host ? $"; the message calls itself '{SyslogEventMapper.Clean(host)}', which is not used" : string.Empty;
            var certificate = certificateKey is null ? string.Empty : $" or its client certificate {certificateKey}";
            Refuse(transport, remote, source, SyslogRejectReason.UnknownSender, $"no {SyslogOptions.SendersSection}:{{address}} entry for {SyslogSenders.Normalize(remote.Address)}{certificate}{reported}", frame, now);
            return null;
        }

        if (parsed.Message is not { } message)
        {
            Refuse(transport, remote, source, parsed.Reason, $"{device}: {parsed.Detail}", frame, now);
            return null;
        }

        var syslogEvent = mapper.Map(message, $"{transport}://{remote}", transport);
        var timestamp = Monotonic(device, message.Timestamp ?? now);
        collectorMetrics.MessageReceived();
        return InboundMessage.Local(device.Topic(MessageChannel.Event), SyslogEventMapper.ToPayload(syslogEvent, timestamp), now);
    }

    /// <summary>A frame the stream framing refused (bad octet count, too long).</summary>
    public void RefuseFrame(string transport, IPEndPoint remote, string? certificateKey, string detail)
    {
        var known = senders.TryResolve(remote.Address, certificateKey, out var device);
        var source = metrics.For(remote.Address, known ? device : null);
        metrics.Received1(source);
        var reason = detail.Contains("limit", StringComparison.Ordinal) ? SyslogRejectReason.TooLong : SyslogRejectReason.BadFrame;
        Refuse(transport, remote, source, reason, known ? $"{device}: {detail}" : detail, [], time.GetUtcNow());
    }

    private void Refuse(string transport, IPEndPoint remote, SyslogMetrics.Counters source, SyslogRejectReason reason, string detail, ReadOnlySpan<byte> frame, DateTimeOffset now)
    {
        metrics.Rejected1(source, reason);
        deadLetters.Offer(remote.Address, DeadLetter.Create(now, $"syslog/{transport}/{remote}", reason.Name(), detail, frame));
    }

    /// <summary>
    /// Two messages of one device with the same timestamp would be one point (a point is its series and time): a
    /// timestamp not after the device's previous one is moved 100 ns past it, so every message is stored.
    /// </summary>
    private DateTimeOffset Monotonic(DeviceAddress device, DateTimeOffset timestamp)
    {
        var ticks = timestamp.UtcTicks;
        lock (_lastTicks)
        {
            if (_lastTicks.TryGetValue(device, out var last) && ticks <= last)
            {
                ticks = last + 1;
            }

            _lastTicks[device] = ticks;
        }

        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }
}
