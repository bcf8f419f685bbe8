using System.Collections.Concurrent;
using System.Diagnostics;
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
    private readonly long[] _inFlightSince = new long[16];
    private long _lastProgress = Stopwatch.GetTimestamp();
    private long _lastDecoderFault;
    private long _lastWriteMicros;
    private int _heldBatches;

    public CollectorMetrics()
    {
        _meter = new Meter(MeterName);
        _meter.CreateObservableCounter("ioc.collector.received", () => Received, description: "Messages received from the broker");
        _meter.CreateObservableCounter("ioc.collector.accepted", () => Accepted, description: "Messages that passed the contract");
        _meter.CreateObservableCounter("ioc.collector.rejected", ObserveRejected, description: "Messages refused, by reason");
        _meter.CreateObservableCounter("ioc.collector.points_written", () => Written, description: "Points written to the store");
        _meter.CreateObservableCounter("ioc.collector.points_spooled", () => Spooled, description: "Points written to the disk spool");
        _meter.CreateObservableGauge("ioc.collector.held_batches", () => HeldBatches, description: "Batches that could be neither stored nor spooled, held and retried");
        _meter.CreateObservableGauge("ioc.collector.no_write_seconds", () => NoWriteSeconds(), unit: "s", description: "Seconds messages have waited without any batch being made durable");
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

    public void MessageRejected(RejectReason reason)
    {
        Interlocked.Increment(ref _rejected[(int)reason]);
        if (reason == RejectReason.DecoderFault)
        {
            Volatile.Write(ref _lastDecoderFault, Stopwatch.GetTimestamp());
        }
    }

    /// <summary>Messages refused as <c>rate_limited</c>, dead-lettered or only counted (sampled).</summary>
    public long RateLimited => Rejected(RejectReason.RateLimited);

    /// <summary>Devices over their rate limit within the last minute (set by the rate limiter).</summary>
    public int FloodDevices { get; set; }

    /// <summary>Batches currently held because they could be neither stored nor spooled.</summary>
    public int HeldBatches => Volatile.Read(ref _heldBatches);

    public void BatchHeld() => Interlocked.Increment(ref _heldBatches);

    public void BatchReleased() => Interlocked.Decrement(ref _heldBatches);

    /// <summary>Writer <paramref name="slot"/> took a batch; with <see cref="BatchFinished"/> this tells how long messages have waited.</summary>
    public void BatchStarted(int slot) => Volatile.Write(ref _inFlightSince[slot], Stopwatch.GetTimestamp());

    public void BatchFinished(int slot) => Volatile.Write(ref _inFlightSince[slot], 0);

    /// <summary>A batch was made durable (stored, spooled or replayed).</summary>
    public void Progress() => Volatile.Write(ref _lastProgress, Stopwatch.GetTimestamp());

    /// <summary>Seconds since a decoder fault, or null if none was seen.</summary>
    public double? SecondsSinceDecoderFault()
    {
        var last = Volatile.Read(ref _lastDecoderFault);
        return last == 0 ? null : Stopwatch.GetElapsedTime(last).TotalSeconds;
    }

    /// <summary>Milliseconds the last batch write to the store took.</summary>
    public double LastWriteMs => Volatile.Read(ref _lastWriteMicros) / 1000.0;

    /// <summary>
    /// While a batch waits in a writer: seconds since the later of its start and the last durable write (stored, spooled or
    /// replayed) anywhere in the pipeline. Zero when no batch waits.
    /// </summary>
    public double NoWriteSeconds()
    {
        long oldest = 0;
        for (var i = 0; i < _inFlightSince.Length; i++)
        {
            var value = Volatile.Read(ref _inFlightSince[i]);
            if (value != 0 && (oldest == 0 || value < oldest))
            {
                oldest = value;
            }
        }

        return oldest == 0 ? 0 : Stopwatch.GetElapsedTime(Math.Max(oldest, Volatile.Read(ref _lastProgress))).TotalSeconds;
    }

    public void PointsWritten(int count, TimeSpan elapsed)
    {
        Progress();
        Volatile.Write(ref _lastWriteMicros, (long)elapsed.TotalMicroseconds);
        Interlocked.Add(ref _written, count);
        Interlocked.Increment(ref _batches);
        WriteLatency.Record(elapsed.TotalMilliseconds);
        _writeLatencies.Enqueue(elapsed.TotalMilliseconds);
        while (_writeLatencies.Count > 1024)
        {
            _writeLatencies.TryDequeue(out _);
        }
    }

    public void PointsSpooled(int count)
    {
        Progress();
        Interlocked.Add(ref _spooled, count);
    }

    public void PointsReplayed(int count)
    {
        Progress();
        Interlocked.Add(ref _replayed, count);
    }

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
