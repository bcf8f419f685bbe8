using System.Runtime.InteropServices;
using Ioc.Collector.Configuration;
using Ioc.Collector.Diagnostics;
using Ioc.Contract;
using Microsoft.Extensions.Options;

namespace Ioc.Collector.Pipeline;

/// <summary>What the rate limiter decided about one message.</summary>
public enum RateDecision
{
    /// <summary>Within the device's rate: on into the pipeline.</summary>
    Pass,

    /// <summary>Over the rate, and the first such message of this device in this second: dead-lettered as a sample.</summary>
    LimitedSample,

    /// <summary>Over the rate: acknowledged and only counted.</summary>
    Limited,
}

/// <summary>A device over its rate in the last minute, for the collector's health report.</summary>
public sealed record FloodingDevice(string Device, long Limited, double Rate);

/// <summary>
/// One token bucket per device (<c>site/type/id</c> from the topic), checked before a message enters the ingest queue, so
/// that one device flooding the broker cannot fill the queue in front of everyone else's messages. A dictionary of small
/// structs looked up by a span of the topic: no allocation per message (only when a device is first seen). At most
/// <see cref="CollectorOptions.RateLimitTrackedDevices"/> devices are tracked; when full, the devices whose bucket has
/// refilled are forgotten (a full bucket is the same as a new one, so forgetting them changes nothing).
/// </summary>
public sealed class DeviceRateLimiter
{
    private static readonly TimeSpan FloodWindow = TimeSpan.FromMinutes(1);
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Bucket>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly TimeProvider _time;
    private readonly CollectorMetrics _metrics;
    private readonly double _rate;
    private readonly double _burst;
    private readonly int _capacity;
    private readonly long _ticksPerSecond;
    private readonly long _refillTicks;
    private readonly long _graceTicks;
    private long _graceUntil;

    public DeviceRateLimiter(IOptions<CollectorOptions> options, CollectorMetrics metrics, TimeProvider time)
    {
        _time = time;
        _metrics = metrics;
        _rate = options.Value.DeviceRateLimit;
        _burst = options.Value.DeviceBurst;
        _capacity = options.Value.RateLimitTrackedDevices;
        _ticksPerSecond = time.TimestampFrequency;
        _refillTicks = _rate > 0 ? (long)(_burst / _rate * _ticksPerSecond) : 0;
        _lookup = _buckets.GetAlternateLookup<ReadOnlySpan<char>>();
        _graceTicks = (long)(options.Value.RateLimitGrace.TotalSeconds * _ticksPerSecond);
    }

    /// <summary>A collector connection starts, comes up or goes down: no limit for <see cref="CollectorOptions.RateLimitGrace"/> (the session's backlog arrives now).</summary>
    public void Connected() => Volatile.Write(ref _graceUntil, _time.GetTimestamp() + _graceTicks);

    public bool Enabled => _rate > 0;

    public double Rate => _rate;

    public int TrackedDevices
    {
        get
        {
            lock (_lock)
            {
                return _buckets.Count;
            }
        }
    }

    /// <summary>Takes a token from the topic's device; topics that are not device topics always pass (the decoder refuses them).</summary>
    public RateDecision Check(string topic)
    {
        if (!Enabled || !TryDeviceKey(topic, out var key))
        {
            return RateDecision.Pass;
        }

        var now = _time.GetTimestamp();
        if (now < Volatile.Read(ref _graceUntil))
        {
            return RateDecision.Pass;
        }

        lock (_lock)
        {
            if (_buckets.Count >= _capacity && !_lookup.ContainsKey(key))
            {
                Evict(now);
            }

            ref var bucket = ref CollectionsMarshal.GetValueRefOrAddDefault(_lookup, key, out var exists);
            if (!exists)
            {
                bucket.Tokens = _burst;
                bucket.Last = now;
            }
            else
            {
                bucket.Tokens = Math.Min(_burst, bucket.Tokens + (now - bucket.Last) * _rate / _ticksPerSecond);
                bucket.Last = now;
            }

            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                return RateDecision.Pass;
            }

            bucket.Limited++;
            bucket.LastLimited = now;
            var second = now / _ticksPerSecond;
            if (bucket.SampledSecond != second)
            {
                bucket.SampledSecond = second;
                return RateDecision.LimitedSample;
            }

            return RateDecision.Limited;
        }
    }

    /// <summary>
    /// The devices limited within the last minute; <paramref name="due"/> lists those not reported for a minute (each is
    /// then marked reported), so the caller raises one event per flooding device per minute.
    /// </summary>
    public IReadOnlyList<FloodingDevice> Flooding(out IReadOnlyList<FloodingDevice> due)
    {
        var now = _time.GetTimestamp();
        var window = (long)(FloodWindow.TotalSeconds * _ticksPerSecond);
        var flooding = new List<FloodingDevice>();
        var toReport = new List<FloodingDevice>();
        lock (_lock)
        {
            foreach (var key in _buckets.Keys)
            {
                ref var bucket = ref CollectionsMarshal.GetValueRefOrNullRef(_buckets, key);
                if (bucket.Limited == 0 || now - bucket.LastLimited > window)
                {
                    continue;
                }

                var seconds = bucket.ReportedAt == 0 ? 0 : (double)(now - bucket.ReportedAt) / _ticksPerSecond;
                var rate = seconds > 0 ? (bucket.Limited - bucket.LimitedAtReport) / seconds + _rate : 0;
                var device = new FloodingDevice(key, bucket.Limited, Math.Round(rate));
                flooding.Add(device);
                if (bucket.ReportedAt == 0 || now - bucket.ReportedAt >= window)
                {
                    toReport.Add(device);
                    bucket.ReportedAt = now;
                    bucket.LimitedAtReport = bucket.Limited;
                }
            }
        }

        _metrics.FloodDevices = flooding.Count;
        due = toReport;
        return flooding;
    }

    /// <summary>Messages refused per device so far (devices still tracked), for the per-device metric.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> LimitedByDevice()
    {
        var result = new List<KeyValuePair<string, long>>();
        lock (_lock)
        {
            foreach (var (key, bucket) in _buckets)
            {
                if (bucket.Limited > 0)
                {
                    result.Add(new(key, bucket.Limited));
                }
            }
        }

        return result;
    }

    private static bool TryDeviceKey(string topic, out ReadOnlySpan<char> key)
    {
        key = default;
        if (!topic.StartsWith(Topics.Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = topic.AsSpan(Topics.Prefix.Length);
        var channel = rest.LastIndexOf('/');
        if (channel <= 0)
        {
            return false;
        }

        key = rest[..channel];
        return true;
    }

    private void Evict(long now)
    {
        // Forget every device whose bucket has refilled since it was last seen: it would start full anyway.
        List<string>? idle = null;
        foreach (var (key, bucket) in _buckets)
        {
            if (now - bucket.Last >= _refillTicks && now - bucket.LastLimited > (long)(FloodWindow.TotalSeconds * _ticksPerSecond))
            {
                (idle ??= []).Add(key);
            }
        }

        if (idle is null)
        {
            // More devices busy at once than RateLimitTrackedDevices: start over rather than grow without bound.
            _buckets.Clear();
            return;
        }

        foreach (var key in idle)
        {
            _buckets.Remove(key);
        }
    }

    private struct Bucket
    {
        public double Tokens;
        public long Last;
        public long Limited;
        public long LastLimited;
        public long SampledSecond;
        public long ReportedAt;
        public long LimitedAtReport;
    }
}
