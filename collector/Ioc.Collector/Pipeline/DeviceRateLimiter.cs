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
/// that one device flooding the broker cannot fill the queue in front of everyone else's messages. No allocation per
/// message and little memory per device: a bucket is 16 bytes in a dictionary keyed by a 64-bit hash of the device's
/// topic prefix (no string kept per device; two devices whose names collide in 64 bits would share a bucket, a chance
/// of about 10⁻¹⁰ for 100,000 devices). Only a device that has been over its rate gets a record with its name and
/// counters (<see cref="Flood"/>). At most <see cref="CollectorOptions.RateLimitTrackedDevices"/> devices are tracked;
/// when full, the devices whose bucket has refilled are forgotten (a full bucket is the same as a new one, so forgetting
/// them changes nothing).
/// </summary>
public sealed class DeviceRateLimiter
{
    private static readonly TimeSpan FloodWindow = TimeSpan.FromMinutes(1);
    private readonly Lock _lock = new();
    private readonly Dictionary<ulong, Bucket> _buckets = [];
    private readonly Dictionary<ulong, Flood> _floods = [];
    private readonly TimeProvider _time;
    private readonly CollectorMetrics _metrics;
    private readonly double _rate;
    private readonly double _burst;
    private readonly int _capacity;
    private readonly long _ticksPerSecond;
    private readonly long _refillTicks;
    private readonly long _graceTicks;
    private readonly long _windowTicks;
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
        _graceTicks = (long)(options.Value.RateLimitGrace.TotalSeconds * _ticksPerSecond);
        _windowTicks = (long)(FloodWindow.TotalSeconds * _ticksPerSecond);
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
        if (!Enabled || !TryDeviceKey(topic, out var device))
        {
            return RateDecision.Pass;
        }

        var now = _time.GetTimestamp();
        if (now < Volatile.Read(ref _graceUntil))
        {
            return RateDecision.Pass;
        }

        var key = Hash(device);
        lock (_lock)
        {
            if (_buckets.Count >= _capacity && !_buckets.ContainsKey(key))
            {
                Evict(now);
            }

            ref var bucket = ref CollectionsMarshal.GetValueRefOrAddDefault(_buckets, key, out var exists);
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

            if (!_floods.TryGetValue(key, out var flood))
            {
                flood = new Flood(device.ToString());
                _floods[key] = flood;
            }

            flood.Limited++;
            flood.LastLimited = now;
            var second = now / _ticksPerSecond;
            if (flood.SampledSecond != second)
            {
                flood.SampledSecond = second;
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
        var flooding = new List<FloodingDevice>();
        var toReport = new List<FloodingDevice>();
        lock (_lock)
        {
            foreach (var flood in _floods.Values)
            {
                if (now - flood.LastLimited > _windowTicks)
                {
                    continue;
                }

                var seconds = flood.ReportedAt == 0 ? 0 : (double)(now - flood.ReportedAt) / _ticksPerSecond;
                var rate = seconds > 0 ? (flood.Limited - flood.LimitedAtReport) / seconds + _rate : 0;
                var device = new FloodingDevice(flood.Device, flood.Limited, Math.Round(rate));
                flooding.Add(device);
                if (flood.ReportedAt == 0 || now - flood.ReportedAt >= _windowTicks)
                {
                    toReport.Add(device);
                    flood.ReportedAt = now;
                    flood.LimitedAtReport = flood.Limited;
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
            foreach (var flood in _floods.Values)
            {
                result.Add(new(flood.Device, flood.Limited));
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

    /// <summary>
    /// 64 bits from two of .NET's per-process randomly seeded hashes (<see cref="HashCode"/>) over the UTF-16 code units,
    /// allocation-free. Seeded, because a device chooses the site and type levels of its topic: with an unkeyed hash
    /// (FNV-1a before) it could search offline for a topic that lands in another device's bucket and drain it.
    /// </summary>
    private static ulong Hash(ReadOnlySpan<char> device)
    {
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(device);
        var low = new HashCode();
        low.AddBytes(bytes);
        var high = new HashCode();
        high.Add(0x5BD1E995);
        high.AddBytes(bytes);
        return ((ulong)(uint)high.ToHashCode() << 32) | (uint)low.ToHashCode();
    }

    private void Evict(long now)
    {
        // Forget every device whose bucket has refilled since it was last seen and that has not flooded for a minute:
        // it would start full anyway.
        List<ulong>? idle = null;
        foreach (var (key, bucket) in _buckets)
        {
            if (now - bucket.Last >= _refillTicks && (!_floods.TryGetValue(key, out var flood) || now - flood.LastLimited > _windowTicks))
            {
                (idle ??= []).Add(key);
            }
        }

        if (idle is null)
        {
            // More devices busy at once than RateLimitTrackedDevices: start over rather than grow without bound.
            _buckets.Clear();
            _floods.Clear();
            return;
        }

        foreach (var key in idle)
        {
            _buckets.Remove(key);
            _floods.Remove(key);
        }
    }

    private struct Bucket
    {
        public double Tokens;
        public long Last;
    }

    /// <summary>What is kept about a device once it has been over its rate (few devices; its name for the reports).</summary>
    private sealed class Flood(string device)
    {
        public string Device { get; } = device;

        public long Limited { get; set; }

        public long LastLimited { get; set; }

        public long SampledSecond { get; set; } = -1;

        public long ReportedAt { get; set; }

        public long LimitedAtReport { get; set; }
    }
}
