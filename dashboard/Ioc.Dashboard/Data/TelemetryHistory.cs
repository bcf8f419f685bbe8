using Ioc.Contract;
using Ioc.Contract.Model;
using Ioc.Storage;

namespace Ioc.Dashboard.Data;

/// <summary>One bucket of a downsampled series.</summary>
public sealed record SeriesBucket(DateTimeOffset Start, double Min, double Mean, double Max, int Count);

public sealed record StatusChange(DeviceAddress Device, DateTimeOffset At, DeviceState State);

/// <summary>
/// Bounded reads for charts and history, only through <see cref="ITelemetryStore"/>: the store downsamples
/// (<see cref="ITelemetryStore.AggregateAsync"/>) and finds the newest values (<see cref="ITelemetryStore.LatestAsync"/>)
/// in its own query language, so the same code serves SQLite and InfluxDB.
/// </summary>
public sealed class TelemetryHistory
{
    public const int MaxBuckets = 720;

    /// <summary>The most devices whose state <see cref="StatusAtAsync"/> reads.</summary>
    public const int MaxDevices = 100_000;

    private static readonly AggregateFunction[] ChartFunctions = [AggregateFunction.Min, AggregateFunction.Mean, AggregateFunction.Max, AggregateFunction.Count];
    private readonly ITelemetryStore _store;

    public TelemetryHistory(ITelemetryStore store)
    {
        _store = store;
    }

    /// <summary>min/mean/max of one numeric field of one device, in at most <paramref name="buckets"/> equal buckets from <paramref name="from"/>.</summary>
    public async Task<IReadOnlyList<SeriesBucket>> AggregateAsync(DeviceAddress device, string measurement, string field, DateTimeOffset from, DateTimeOffset to, int buckets, CancellationToken cancellationToken)
    {
        if (to <= from)
        {
            return [];
        }

        buckets = Math.Clamp(buckets, 1, MaxBuckets);
        // Rounded up so that the range never needs more than the asked number of buckets.
        var width = TimeSpan.FromTicks(Math.Max(1, ((to - from).Ticks + buckets - 1) / buckets));
        var query = new AggregateQuery(measurement, field, from, to, width)
        {
            Functions = ChartFunctions,
            Tags = DeviceTags(device),
            Limit = buckets,
        };
        var result = await _store.AggregateAsync(query, cancellationToken);
        return [.. result.Select(b => new SeriesBucket(b.Time, b.Values[0], b.Values[1], b.Values[2], (int)b.Values[3]))];
    }

    /// <summary>Numeric fields of the device's newest points of the last day, for the chart's field picker.</summary>
    public async Task<IReadOnlyList<string>> NumericFieldsAsync(DeviceAddress device, string measurement, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var latest = await _store.LatestAsync(
            new LatestQuery(measurement, now.AddDays(-1), now.AddMinutes(1)) { Tags = DeviceTags(device), Limit = 100 }, cancellationToken);
        return [.. latest.SelectMany(p => p.Fields).Where(f => f.Value.IsNumeric).Select(f => f.Key).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>Status changes in [from, to), oldest first; optionally of one site or device.</summary>
    public async Task<IReadOnlyList<StatusChange>> StatusChangesAsync(string? site, string? deviceId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var tags = new Dictionary<string, string>();
        if (site is not null)
        {
            tags[TagNames.Site] = site;
        }

        if (deviceId is not null)
        {
            tags[TagNames.Device] = deviceId;
        }

        var points = await _store.QueryAsync(new PointQuery(Measurements.Status, from, to) { Tags = tags, Limit = 200_000 }, cancellationToken);
        return [.. points.Select(ToChange).OfType<StatusChange>()];
    }

    /// <summary>The last known state of each device before <paramref name="at"/> (looking back at most <paramref name="lookBack"/>).</summary>
    public async Task<IReadOnlyDictionary<string, DeviceState>> StatusAtAsync(DateTimeOffset at, TimeSpan lookBack, CancellationToken cancellationToken)
    {
        var latest = await _store.LatestAsync(
            new LatestQuery(Measurements.Status, at - lookBack, at) { Fields = ["state"], Limit = MaxDevices }, cancellationToken);
        // A device has one status series; should it have several, the newest point wins.
        return latest.Select(ToChange).OfType<StatusChange>()
            .GroupBy(c => c.Device.ToString(), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.MaxBy(c => c.At)!.State, StringComparer.Ordinal);
    }

    /// <summary>Events in [from, to), newest first, at most <paramref name="limit"/> (the newest of the range).</summary>
    public async Task<IReadOnlyList<Point>> EventsAsync(DeviceAddress? device, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        var points = await _store.QueryAsync(
            new PointQuery(Measurements.Event, from, to) { Tags = device is { } d ? DeviceTags(d) : new Dictionary<string, string>(), Limit = 20_000 },
            cancellationToken);
        return [.. points.Reverse().Take(limit)];
    }

    private static Dictionary<string, string> DeviceTags(DeviceAddress device) => new()
    {
        [TagNames.Site] = device.Site,
        [TagNames.Device] = device.DeviceId,
    };

    private static StatusChange? ToChange(Point point)
    {
        var site = point.GetTag(TagNames.Site);
        var device = point.GetTag(TagNames.Device);
        var type = point.GetTag(TagNames.DeviceType);
        var state = point.GetField("state")?.AsString();
        return site is null || device is null || type is null || state is null
            ? null
            : new StatusChange(new DeviceAddress(site, type, device), point.Timestamp, state == "online" ? DeviceState.Online : DeviceState.Offline);
    }
}
