using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Ioc.Contract;

namespace Ioc.Collector.Diagnostics;

/// <summary>
/// The collector's counters, kept as plain fields for a cheap hot path and exposed both as
/// System.Diagnostics.Metrics instruments (meter "Ioc.Collector") and as a snapshot for /healthz.
/// </summary>
public sealed class CollectorMetrics : IDisposable
{
    public const string MeterName = "Ioc.Collector";

    private readonly Meter _meter;
    private readonly long[] _rejected = new long[RejectReasons.All.Count];
    private readonly ConcurrentQueue<double> _writeLatencies = new();
    private long _received;
    private long _accepted;
    private long _written;
    private long _spooled;
    private long _replayed;
    private long _ignored;
    private long _ackFailures;
    private long _batches;

    public CollectorMetrics()
    {
        _meter = new Meter(MeterName);
        _meter.CreateObservableCounter("ioc.collector.received", () => Received, description: "Messages received from the broker");
        _meter.CreateObservableCounter("ioc.collector.accepted", () => Accepted, description: "Messages that passed the contract");
        _meter.CreateObservableCounter("ioc.collector.rejected", ObserveRejected, description: "Messages refused, by reason");
        _meter.CreateObservableCounter("ioc.collector.points_written", () => Written, description: "Points written to the store");
        _meter.CreateObservableCounter("ioc.collector.points_spooled", () => Spooled, description: "Points written to the disk spool");
        WriteLatency = _meter.CreateHistogram<double>("ioc.collector.write_latency", "ms", "Time to write one batch to the store");
    }

    public Histogram<double> WriteLatency { get; }

    public long Received => Interlocked.Read(ref _received);

    public long Accepted => Interlocked.Read(ref _accepted);

    public long Written => Interlocked.Read(ref _written);

    public long Spooled => Interlocked.Read(ref _spooled);

    public long Replayed => Interlocked.Read(ref _replayed);

    public long Ignored => Interlocked.Read(ref _ignored);

    public long AckFailures => Interlocked.Read(ref _ackFailures);

    public long Batches => Interlocked.Read(ref _batches);

    public long RejectedTotal => _rejected.Sum();

    public void MessageReceived() => Interlocked.Increment(ref _received);

    public void MessageIgnored() => Interlocked.Increment(ref _ignored);

    public void MessageAccepted() => Interlocked.Increment(ref _accepted);

    public void MessageRejected(RejectReason reason) => Interlocked.Increment(ref _rejected[(int)reason]);

    public void PointsWritten(int count, TimeSpan elapsed)
    {
        Interlocked.Add(ref _written, count);
        Interlocked.Increment(ref _batches);
        WriteLatency.Record(elapsed.TotalMilliseconds);
        _writeLatencies.Enqueue(elapsed.TotalMilliseconds);
        while (_writeLatencies.Count > 1024)
        {
            _writeLatencies.TryDequeue(out _);
        }
    }

    public void PointsSpooled(int count) => Interlocked.Add(ref _spooled, count);

    public void PointsReplayed(int count) => Interlocked.Add(ref _replayed, count);

    public void AcknowledgeFailed() => Interlocked.Increment(ref _ackFailures);

    public long Rejected(RejectReason reason) => Interlocked.Read(ref _rejected[(int)reason]);

    public IReadOnlyDictionary<string, long> RejectedByReason() =>
        RejectReasons.All.Where(r => Rejected(r) > 0).ToDictionary(r => r.Name(), Rejected);

    /// <summary>Median and 99th percentile of the last 1,024 batch writes, in milliseconds.</summary>
    public (double P50, double P99) WriteLatencyPercentiles()
    {
        var values = _writeLatencies.ToArray();
        if (values.Length == 0)
        {
            return (0, 0);
        }

        Array.Sort(values);
        return (values[values.Length / 2], values[Math.Min(values.Length - 1, (int)Math.Ceiling(values.Length * 0.99) - 1)]);
    }

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<long>> ObserveRejected()
    {
        foreach (var reason in RejectReasons.All)
        {
            yield return new Measurement<long>(Rejected(reason), new KeyValuePair<string, object?>("reason", reason.Name()));
        }
    }
}
