using System.Collections.Concurrent;
using Ioc.Contract;
using Ioc.Contract.Alerts;
using Ioc.Contract.Model;
using Microsoft.Extensions.Logging;

namespace Ioc.Dashboard.Live;

/// <summary>What the console knows right now about one device, from its retained status and latest telemetry.</summary>
public sealed record DeviceLiveState(
    DeviceAddress Address,
    DeviceState? State,
    DateTimeOffset? StateSince,
    DateTimeOffset? LastTelemetryAt,
    IReadOnlyDictionary<string, FieldValue> Metrics)
{
    /// <summary>Payload tags of the latest telemetry (e.g. <c>rack</c>), without site/device.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>The alert engine's view of the device (online / offline / silent and since when); null until the engine reports it.</summary>
    public DeviceHealth? Health { get; init; }

    public string Key => Address.ToString();
}

/// <summary>
/// The live state of every device heard on the broker, with the alert engine's health verdict from its change feed
/// (<see cref="IAlertChanges"/>); components subscribe for (throttled) changes.
/// </summary>
public sealed class DeviceStateStore : IDisposable
{
    private readonly ConcurrentDictionary<string, DeviceLiveState> _devices = new(StringComparer.Ordinal);
    private readonly ThrottledSignal _signal;
    private readonly IDisposable? _health;

    public DeviceStateStore(TimeProvider time, ILogger<DeviceStateStore> logger, IAlertChanges? changes = null)
    {
        _signal = new ThrottledSignal(time, logger);
        _health = changes?.Subscribe(onAlert: null, onHealth: ApplyHealth);
    }

    public int Count => _devices.Count;

    public IDisposable Subscribe(Func<Task> onChange) => _signal.Subscribe(onChange);

    public IReadOnlyCollection<DeviceLiveState> Snapshot() => [.. _devices.Values];

    public DeviceLiveState? Find(DeviceAddress address) => _devices.GetValueOrDefault(address.ToString());

    public void ApplyStatus(DeviceStatus status)
    {
        _devices.AddOrUpdate(
            status.Device.ToString(),
            static (_, s) => new DeviceLiveState(s.Device, s.State, s.Timestamp, null, new Dictionary<string, FieldValue>()),
            static (_, existing, s) => existing.State == s.State && existing.StateSince is { } since && since <= s.Timestamp
                ? existing
                : existing with { State = s.State, StateSince = s.Timestamp },
            status);
        _signal.Notify();
    }

    /// <summary>The engine's health verdict for a device (<c>silent</c> is something only the engine knows).</summary>
    public void ApplyHealth(DeviceHealth health)
    {
        var address = new DeviceAddress(health.Site, health.DeviceType, health.DeviceId);
        _devices.AddOrUpdate(
            address.ToString(),
            static (_, arg) => new DeviceLiveState(arg.address, null, null, null, new Dictionary<string, FieldValue>()) { Health = arg.health },
            static (_, existing, arg) => existing with { Health = arg.health },
            (address, health));
        _signal.Notify();
    }

    public void ApplyTelemetry(DeviceAddress device, IReadOnlyList<Point> points)
    {
        if (points.Count == 0)
        {
            return;
        }

        var latest = points.Max(p => p.Timestamp);
        _devices.AddOrUpdate(
            device.ToString(),
            static (_, arg) => new DeviceLiveState(arg.device, null, null, arg.latest, Merge(new Dictionary<string, FieldValue>(), arg.points))
            {
                Tags = MergeTags(new Dictionary<string, string>(), arg.points),
            },
            static (_, existing, arg) => existing with
            {
                LastTelemetryAt = existing.LastTelemetryAt is { } t && t > arg.latest ? t : arg.latest,
                Metrics = Merge(existing.Metrics, arg.points),
                Tags = MergeTags(existing.Tags, arg.points),
            },
            (device, points, latest));
        _signal.Notify();
    }

    public void Dispose()
    {
        _health?.Dispose();
        _signal.Dispose();
    }

    private static IReadOnlyDictionary<string, string> MergeTags(IReadOnlyDictionary<string, string> existing, IReadOnlyList<Point> points)
    {
        Dictionary<string, string>? merged = null;
        foreach (var point in points)
        {
            foreach (var tag in point.Tags)
            {
                if (!TagNames.IsReserved(tag.Key) && (!existing.TryGetValue(tag.Key, out var old) || old != tag.Value))
                {
                    merged ??= new Dictionary<string, string>(existing, StringComparer.Ordinal);
                    merged[tag.Key] = tag.Value;
                }
            }
        }

        return merged ?? existing;
    }

    private static Dictionary<string, FieldValue> Merge(IReadOnlyDictionary<string, FieldValue> existing, IReadOnlyList<Point> points)
    {
        var merged = new Dictionary<string, FieldValue>(existing, StringComparer.Ordinal);
        foreach (var point in points)
        {
            foreach (var field in point.Fields)
            {
                merged[field.Key] = field.Value;
            }
        }

        return merged;
    }
}
