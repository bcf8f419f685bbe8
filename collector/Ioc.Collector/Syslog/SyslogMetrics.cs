using System.Collections.Concurrent;
using System.Net;
using Ioc.Contract;
using Microsoft.Extensions.Options;

namespace Ioc.Collector.Syslog;

/// <summary>Which registered device a syslog source is: by client certificate first (TLS), then by source address.</summary>
public sealed class SyslogSenders
{
    private readonly Dictionary<IPAddress, DeviceAddress> _byAddress = [];
    private readonly Dictionary<string, DeviceAddress> _byCertificate = new(StringComparer.OrdinalIgnoreCase);

    public SyslogSenders(IOptions<SyslogOptions> options)
    {
        foreach (var (key, value) in options.Value.SenderMap)
        {
            if (!SyslogOptions.TryParseDevice(value, out var device))
            {
                continue;
            }

            if (IPAddress.TryParse(key, out var address))
            {
                _byAddress[Normalize(address)] = device;
            }
            else if (SyslogOptions.IsSenderKey(key))
            {
                _byCertificate[key] = device;
            }
        }
    }

    public int Count => _byAddress.Count + _byCertificate.Count;

    public bool TryResolve(IPAddress address, string? certificateKey, out DeviceAddress device)
    {
        if (certificateKey is not null && _byCertificate.TryGetValue(certificateKey, out device))
        {
            return true;
        }

        return _byAddress.TryGetValue(Normalize(address), out device);
    }

    /// <summary>An IPv4 client on a dual-stack socket arrives as ::ffff:a.b.c.d; the mapping names it a.b.c.d.</summary>
    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}

/// <summary>One source's counters on /healthz.</summary>
public sealed record SyslogSourceCounters(string Source, string? Device, long Received, long Enqueued, long Dropped, long Rejected, long UnknownSender);

/// <summary>The syslog receiver's part of /healthz and of the collector's health report.</summary>
public sealed record SyslogSnapshot(
    IReadOnlyList<string> Listeners,
    int Senders,
    int Connections,
    long Received,
    long Enqueued,
    long Dropped,
    long Rejected,
    long UnknownSender,
    long RefusedConnections,
    long DeadLettersLost,
    IReadOnlyDictionary<string, long> RejectedByReason,
    IReadOnlyList<SyslogSourceCounters> Sources)
{
    /// <summary>Seconds since a message was last dropped because the queue was full (UDP only); null: never.</summary>
    public double? SecondsSinceDrop { get; init; }
}

/// <summary>
/// Counters of the syslog receiver, per source address: received, put on the ingest queue, dropped because the queue
/// was full (UDP only: TCP and TLS wait, which holds the sender back), refused (malformed, by reason) and from unknown senders.
/// Nothing the receiver does not store goes uncounted.
/// </summary>
public sealed class SyslogMetrics(IOptions<SyslogOptions> options, TimeProvider time)
{
    private const string OtherSources = "other";
    private readonly ConcurrentDictionary<string, Counters> _sources = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _rejectedByReason = new(StringComparer.Ordinal);
    private readonly int _maxSources = options.Value.MaxTrackedSources;
    private long _received;
    private long _enqueued;
    private long _dropped;
    private long _rejected;
    private long _unknown;
    private long _refusedConnections;
    private long _deadLettersLost;
    private int _connections;
    private long _lastDrop = long.MinValue;

    public List<string> Listeners { get; } = [];

    public int SenderCount { get; set; }

    public long Dropped => Interlocked.Read(ref _dropped);

    public long Enqueued => Interlocked.Read(ref _enqueued);

    public long Received => Interlocked.Read(ref _received);

    public Counters For(IPAddress address, DeviceAddress? device)
    {
        var key = SyslogSenders.Normalize(address).ToString();
        if (_sources.TryGetValue(key, out var counters))
        {
            return counters;
        }

        if (_sources.Count >= _maxSources)
        {
            return _sources.GetOrAdd(OtherSources, _ => new Counters(null));
        }

        return _sources.GetOrAdd(key, _ => new Counters(device?.ToString()));
    }

    public void Received1(Counters source)
    {
        Interlocked.Increment(ref _received);
        Interlocked.Increment(ref source.Received);
    }

    public void Enqueued1(Counters source)
    {
        Interlocked.Increment(ref _enqueued);
        Interlocked.Increment(ref source.Enqueued);
    }

    public void Dropped1(Counters source)
    {
        Interlocked.Increment(ref _dropped);
        Interlocked.Increment(ref source.Dropped);
        Volatile.Write(ref _lastDrop, time.GetTimestamp());
    }

    public void Rejected1(Counters source, SyslogRejectReason reason)
    {
        if (reason == SyslogRejectReason.UnknownSender)
        {
            Interlocked.Increment(ref _unknown);
            Interlocked.Increment(ref source.Unknown);
        }
        else
        {
            Interlocked.Increment(ref _rejected);
            Interlocked.Increment(ref source.Rejected);
        }

        _rejectedByReason.AddOrUpdate(reason.Name(), 1, static (_, n) => n + 1);
    }

    public void ConnectionOpened() => Interlocked.Increment(ref _connections);

    public void ConnectionClosed() => Interlocked.Decrement(ref _connections);

    public void ConnectionRefused() => Interlocked.Increment(ref _refusedConnections);

    public void DeadLetterLost() => Interlocked.Increment(ref _deadLettersLost);

    public SyslogSnapshot Snapshot()
    {
        var last = Volatile.Read(ref _lastDrop);
        var sources = _sources
            .Select(s => new SyslogSourceCounters(s.Key, s.Value.Device, Interlocked.Read(ref s.Value.Received), Interlocked.Read(ref s.Value.Enqueued), Interlocked.Read(ref s.Value.Dropped), Interlocked.Read(ref s.Value.Rejected), Interlocked.Read(ref s.Value.Unknown)))
            .OrderByDescending(s => s.Dropped + s.UnknownSender + s.Rejected)
            .ThenByDescending(s => s.Received)
            .Take(50)
            .ToList();
        return new SyslogSnapshot(
            Listeners.ToList(),
            SenderCount,
            Volatile.Read(ref _connections),
            Received,
            Enqueued,
            Dropped,
            Interlocked.Read(ref _rejected),
            Interlocked.Read(ref _unknown),
            Interlocked.Read(ref _refusedConnections),
            Interlocked.Read(ref _deadLettersLost),
            new SortedDictionary<string, long>(_rejectedByReason, StringComparer.Ordinal),
            sources)
        {
            SecondsSinceDrop = last == long.MinValue ? null : Math.Round(time.GetElapsedTime(last).TotalSeconds, 1),
        };
    }

    /// <summary>One source's counters (fields for Interlocked).</summary>
    public sealed class Counters(string? device)
    {
#pragma warning disable SA1401, CA1051 // Interlocked needs fields.
        public long Received;
        public long Enqueued;
        public long Dropped;
        public long Rejected;
        public long Unknown;
#pragma warning restore SA1401, CA1051

        public string? Device { get; } = device;
    }
}
