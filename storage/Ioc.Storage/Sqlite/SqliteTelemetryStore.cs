using System.Buffers;
using System.Text;
using System.Text.Json;
using Ioc.Contract.Model;
using Microsoft.Data.Sqlite;

namespace Ioc.Storage.Sqlite;

/// <summary>
/// The embedded telemetry store: one row per point, fields as JSON, keyed by (series, time) so that a
/// replayed point merges into the stored one instead of duplicating it (as InfluxDB does).
/// </summary>
public sealed class SqliteTelemetryStore : ITelemetryStore, IAsyncDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS series (
            id INTEGER PRIMARY KEY,
            series_key TEXT NOT NULL UNIQUE,
            measurement TEXT NOT NULL,
            site TEXT,
            device TEXT,
            tags TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_series_device ON series(device, measurement);
        CREATE INDEX IF NOT EXISTS ix_series_measurement ON series(measurement, site);
        CREATE TABLE IF NOT EXISTS points (
            series_id INTEGER NOT NULL REFERENCES series(id),
            ts INTEGER NOT NULL,
            fields TEXT NOT NULL,
            PRIMARY KEY (series_id, ts)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ix_points_ts ON points(ts);
        """;

    private readonly SqliteDatabase _database;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Dictionary<string, long> _seriesIds = new(StringComparer.Ordinal);
    private SqliteConnection? _writer;

    public SqliteTelemetryStore(SqliteDatabase database)
    {
        _database = database;
    }

    public string Name => "sqlite";

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _database.ExecuteAsync(Schema, cancellationToken);
    }

    public async Task WriteAsync(IReadOnlyList<Point> points, CancellationToken cancellationToken)
    {
        if (points.Count == 0)
        {
            return;
        }

        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            _writer ??= await _database.OpenAsync(cancellationToken);
            await using var transaction = (SqliteTransaction)await _writer.BeginTransactionAsync(cancellationToken);
            using var insert = _writer.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO points(series_id, ts, fields) VALUES ($series, $ts, $fields)
                ON CONFLICT(series_id, ts) DO UPDATE SET fields = json_patch(points.fields, excluded.fields)
                """;
            var seriesParameter = insert.Parameters.Add("$series", SqliteType.Integer);
            var tsParameter = insert.Parameters.Add("$ts", SqliteType.Integer);
            var fieldsParameter = insert.Parameters.Add("$fields", SqliteType.Text);
            insert.Prepare();
            var newSeries = new List<string>();
            var buffer = new ArrayBufferWriter<byte>(512);
            try
            {
                foreach (var point in points)
                {
                    var key = SeriesKey(point);
                    if (!_seriesIds.TryGetValue(key, out var id))
                    {
                        id = await EnsureSeriesAsync(transaction, key, point, cancellationToken);
                        _seriesIds[key] = id;
                        newSeries.Add(key);
                    }

                    seriesParameter.Value = id;
                    tsParameter.Value = point.TimestampNs;
                    fieldsParameter.Value = FieldsJson(point, buffer);
                    await insert.ExecuteNonQueryAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
            }
            catch
            {
                // Ids learned inside a rolled-back transaction are not real.
                foreach (var key in newSeries)
                {
                    _seriesIds.Remove(key);
                }

                throw;
            }
        }
        catch (SqliteException ex)
        {
            throw new StoreUnavailableException($"SQLite write failed: {ex.Message}", ex);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<IReadOnlyList<Point>> QueryAsync(PointQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT s.tags, p.ts, p.fields FROM points p JOIN series s ON s.id = p.series_id
            WHERE {Where(command, query)} ORDER BY p.ts LIMIT $limit
            """;
        command.Parameters.AddWithValue("$limit", query.Limit);
        var points = new List<Point>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var tags = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(0))!
                .Select(t => new Tag(t.Key, t.Value)).ToArray();
            using var fieldsJson = JsonDocument.Parse(reader.GetString(2));
            var fields = fieldsJson.RootElement.EnumerateObject().Select(f => new Field(f.Name, f.Value.ValueKind switch
            {
                JsonValueKind.True => FieldValue.Boolean(true),
                JsonValueKind.False => FieldValue.Boolean(false),
                JsonValueKind.String => FieldValue.String(f.Value.GetString()!),
                _ when f.Value.TryGetInt64(out var l) && !f.Value.GetRawText().Contains('.', StringComparison.Ordinal) && !f.Value.GetRawText().Contains('E', StringComparison.OrdinalIgnoreCase) => FieldValue.Integer(l),
                _ => FieldValue.Float(f.Value.GetDouble()),
            })).ToArray();
            points.Add(new Point(query.Measurement, tags, fields, reader.GetInt64(1)));
        }

        return points;
    }

    public async Task<long> CountAsync(PointQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM points p JOIN series s ON s.id = p.series_id WHERE {Where(command, query)}";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Deletes points older than <paramref name="cutoff"/>; returns how many went.</summary>
    public async Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            _writer ??= await _database.OpenAsync(cancellationToken);
            using (var schema = _writer.CreateCommand())
            {
                // Retention may run before the first write created the schema.
                schema.CommandText = Schema;
                await schema.ExecuteNonQueryAsync(cancellationToken);
            }

            using var command = _writer.CreateCommand();
            command.CommandText = "DELETE FROM points WHERE ts < $cutoff";
            command.Parameters.AddWithValue("$cutoff", Contract.MessageDecoder.ToNs(cutoff));
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_writer is not null)
        {
            await _writer.DisposeAsync();
        }

        _writeLock.Dispose();
    }

    private async Task<long> EnsureSeriesAsync(SqliteTransaction transaction, string key, Point point, CancellationToken cancellationToken)
    {
        using var command = _writer!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO series(series_key, measurement, site, device, tags) VALUES ($key, $m, $site, $device, $tags)
            ON CONFLICT(series_key) DO NOTHING;
            SELECT id FROM series WHERE series_key = $key;
            """;
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$m", point.Measurement);
        command.Parameters.AddWithValue("$site", (object?)point.GetTag(Contract.TagNames.Site) ?? DBNull.Value);
        command.Parameters.AddWithValue("$device", (object?)point.GetTag(Contract.TagNames.Device) ?? DBNull.Value);
        command.Parameters.AddWithValue("$tags", JsonSerializer.Serialize(point.Tags.ToDictionary(t => t.Key, t => t.Value)));
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static string Where(SqliteCommand command, PointQuery query)
    {
        var where = new StringBuilder("s.measurement = $measurement AND p.ts >= $from AND p.ts < $to");
        command.Parameters.AddWithValue("$measurement", query.Measurement);
        command.Parameters.AddWithValue("$from", Contract.MessageDecoder.ToNs(query.From));
        command.Parameters.AddWithValue("$to", Contract.MessageDecoder.ToNs(query.To));
        var i = 0;
        foreach (var (key, value) in query.Tags)
        {
            switch (key)
            {
                case Contract.TagNames.Site:
                    where.Append(" AND s.site = $site");
                    command.Parameters.AddWithValue("$site", value);
                    break;
                case Contract.TagNames.Device:
                    where.Append(" AND s.device = $device");
                    command.Parameters.AddWithValue("$device", value);
                    break;
                default:
                    where.Append($" AND json_extract(s.tags, $tagPath{i}) = $tagValue{i}");
                    command.Parameters.AddWithValue($"$tagPath{i}", "$." + JsonSerializer.Serialize(key));
                    command.Parameters.AddWithValue($"$tagValue{i}", value);
                    i++;
                    break;
            }
        }

        return where.ToString();
    }

    /// <summary>The series identity: measurement plus sorted tags, separated by characters the contract never admits.</summary>
    private static string SeriesKey(Point point)
    {
        var builder = new StringBuilder(point.Measurement.Length + point.Tags.Count * 24).Append(point.Measurement);
        foreach (var tag in point.Tags)
        {
            builder.Append('\u0001').Append(tag.Key).Append('\u0002').Append(tag.Value);
        }

        return builder.ToString();
    }

    private static string FieldsJson(Point point, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var field in point.Fields)
            {
                switch (field.Value.Kind)
                {
                    case FieldKind.Float:
                        writer.WriteNumber(field.Key, field.Value.AsDouble());
                        break;
                    case FieldKind.Integer:
                        writer.WriteNumber(field.Key, field.Value.AsInteger());
                        break;
                    case FieldKind.UInteger:
                        writer.WriteNumber(field.Key, field.Value.AsUInteger());
                        break;
                    case FieldKind.Boolean:
                        writer.WriteBoolean(field.Key, field.Value.AsBoolean());
                        break;
                    default:
                        writer.WriteString(field.Key, field.Value.AsString());
                        break;
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
