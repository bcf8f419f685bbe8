using System.Text.Json;
using Ioc.Contract;
using Ioc.Contract.Model;
using Ioc.Storage;
using Ioc.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace Ioc.Dashboard.Data;

/// <summary>One bucket of a downsampled series.</summary>
public sealed record SeriesBucket(DateTimeOffset Start, double Min, double Mean, double Max, int Count);

public sealed record StatusChange(DeviceAddress Device, DateTimeOffset At, DeviceState State);

/// <summary>
/// Bounded reads for charts and history. Aggregation runs in SQLite (GROUP BY bucket over <c>points</c>/<c>series</c>) when
/// SQLite holds telemetry; otherwise it reads through <see cref="ITelemetryStore"/> (bounded) and buckets in memory.
/// </summary>
public sealed class TelemetryHistory
{
    /// <summary>The most points a chart reads before downsampling in memory (non-SQLite stores).</summary>
    public const int MaxRawPoints = 50_000;
    public const int MaxBuckets = 720;
    private readonly ITelemetryStore _store;
    private readonly SqliteDatabase? _sqlite;

    public TelemetryHistory(ITelemetryStore store, SqliteDatabase database, IOptions<StorageOptions> storage)
    {
        _store = store;
        _sqlite = storage.Value.Provider == StorageProvider.Sqlite ? database : null;
    }

    /// <summary>min/mean/max of one numeric field of one device, in at most <paramref name="buckets"/> equal buckets.</summary>
    public async Task<IReadOnlyList<SeriesBucket>> AggregateAsync(DeviceAddress device, string measurement, string field, DateTimeOffset from, DateTimeOffset to, int buckets, CancellationToken cancellationToken)
    {
        buckets = Math.Clamp(buckets, 1, MaxBuckets);
        var width = Math.Max(1, (to - from).Ticks / buckets);
        if (_sqlite is not null)
        {
            return await AggregateSqliteAsync(device, measurement, field, from, to, width, cancellationToken);
        }

        var points = await _store.QueryAsync(
            new PointQuery(measurement, from, to) { Tags = DeviceTags(device), Limit = MaxRawPoints }, cancellationToken);
        return Bucketize(points.Select(p => (p.Timestamp, p.GetField(field))), from, width);
    }

    /// <summary>Numeric fields seen for the device in the last day, for the chart's field picker.</summary>
    public async Task<IReadOnlyList<string>> NumericFieldsAsync(DeviceAddress device, string measurement, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var points = await _store.QueryAsync(
            new PointQuery(measurement, now.AddDays(-1), now.AddMinutes(1)) { Tags = DeviceTags(device), Limit = 200 }, cancellationToken);
        return [.. points.SelectMany(p => p.Fields).Where(f => f.Value.IsNumeric).Select(f => f.Key).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
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

    /// <summary>The last known state of each device at <paramref name="at"/> (looking back at most <paramref name="lookBack"/>).</summary>
    public async Task<IReadOnlyDictionary<string, DeviceState>> StatusAtAsync(DateTimeOffset at, TimeSpan lookBack, CancellationToken cancellationToken)
    {
        var states = new Dictionary<string, DeviceState>(StringComparer.Ordinal);
        if (_sqlite is not null)
        {
            await using var connection = await _sqlite.OpenAsync(cancellationToken);
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT s.tags, (SELECT json_extract(p.fields, '$.state') FROM points p
                                WHERE p.series_id = s.id AND p.ts < $at AND p.ts >= $from ORDER BY p.ts DESC LIMIT 1)
                FROM series s WHERE s.measurement = 'status'
                """;
            command.Parameters.AddWithValue("$at", MessageDecoder.ToNs(at));
            command.Parameters.AddWithValue("$from", MessageDecoder.ToNs(at - lookBack));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (!reader.IsDBNull(1) && AddressOf(JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(0))!) is { } address)
                {
                    states[address.ToString()] = reader.GetString(1) == "online" ? DeviceState.Online : DeviceState.Offline;
                }
            }

            return states;
        }

        foreach (var change in await StatusChangesAsync(null, null, at - lookBack, at, cancellationToken))
        {
            states[change.Device.ToString()] = change.State;
        }

        return states;
    }

    /// <summary>Events in [from, to), newest first, at most <paramref name="limit"/> (the newest of the range).</summary>
    public async Task<IReadOnlyList<Point>> EventsAsync(DeviceAddress? device, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        var points = await _store.QueryAsync(
            new PointQuery(Measurements.Event, from, to) { Tags = device is { } d ? DeviceTags(d) : new Dictionary<string, string>(), Limit = 20_000 },
            cancellationToken);
        return [.. points.Reverse().Take(limit)];
    }

    internal static IReadOnlyList<SeriesBucket> Bucketize(IEnumerable<(DateTimeOffset At, FieldValue? Value)> samples, DateTimeOffset from, long widthTicks)
    {
        return [.. samples
            .Where(s => s.Value is { IsNumeric: true })
            .GroupBy(s => (s.At - from).Ticks / widthTicks)
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                var values = g.Select(s => s.Value!.Value.AsDouble()).ToList();
                return new SeriesBucket(from.AddTicks(g.Key * widthTicks), values.Min(), values.Average(), values.Max(), values.Count);
            })];
    }

    private async Task<IReadOnlyList<SeriesBucket>> AggregateSqliteAsync(DeviceAddress device, string measurement, string field, DateTimeOffset from, DateTimeOffset to, long widthTicks, CancellationToken cancellationToken)
    {
        await using var connection = await _sqlite!.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT b, MIN(v), AVG(v), MAX(v), COUNT(v) FROM (
                SELECT (p.ts - $from) / $width AS b, json_extract(p.fields, $path) AS v
                FROM points p JOIN series s ON s.id = p.series_id
                WHERE s.measurement = $m AND s.site = $site AND s.device = $device AND p.ts >= $from AND p.ts < $to)
            WHERE typeof(v) IN ('integer', 'real')
            GROUP BY b ORDER BY b
            """;
        command.Parameters.AddWithValue("$from", MessageDecoder.ToNs(from));
        command.Parameters.AddWithValue("$to", MessageDecoder.ToNs(to));
        command.Parameters.AddWithValue("$width", widthTicks * 100);
        command.Parameters.AddWithValue("$path", "$." + JsonSerializer.Serialize(field));
        command.Parameters.AddWithValue("$m", measurement);
        command.Parameters.AddWithValue("$site", device.Site);
        command.Parameters.AddWithValue("$device", device.DeviceId);
        var buckets = new List<SeriesBucket>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            buckets.Add(new SeriesBucket(from.AddTicks(reader.GetInt64(0) * widthTicks), reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetInt32(4)));
        }

        return buckets;
    }

    private static Dictionary<string, string> DeviceTags(DeviceAddress device) => new()
    {
        [TagNames.Site] = device.Site,
        [TagNames.Device] = device.DeviceId,
    };

    private static StatusChange? ToChange(Point point)
    {
        var address = AddressOf(point.Tags.ToDictionary(t => t.Key, t => t.Value));
        var state = point.GetField("state")?.AsString();
        return address is null || state is null
            ? null
            : new StatusChange(address.Value, point.Timestamp, state == "online" ? DeviceState.Online : DeviceState.Offline);
    }

    private static DeviceAddress? AddressOf(IReadOnlyDictionary<string, string> tags) =>
        tags.TryGetValue(TagNames.Site, out var site) && tags.TryGetValue(TagNames.Device, out var device) && tags.TryGetValue(TagNames.DeviceType, out var type)
            ? new DeviceAddress(site, type, device)
            : null;
}
