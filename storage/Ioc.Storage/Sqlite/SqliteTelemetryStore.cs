using System.Buffers;
using System.Text;
using System.Text.Json;
using Dapper;
using Ioc.Contract;
using Ioc.Contract.Diagnostics;
using Ioc.Contract.Model;
using Microsoft.Data.Sqlite;

namespace Ioc.Storage.Sqlite;

/// <summary>
/// The embedded telemetry store: one row per point, fields as JSON, keyed by (series, time) so that a
/// replayed point merges into the stored one instead of duplicating it (as InfluxDB does).
/// </summary>
public sealed class SqliteTelemetryStore : ITelemetryStore, IHeapTrimParticipant, IAsyncDisposable
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
    private readonly SeriesIdCache _seriesIds;
    private SqliteConnection? _writer;

    public SqliteTelemetryStore(SqliteDatabase database)
        : this(database, SeriesIdCache.DefaultCapacity)
    {
    }

    /// <summary>With the series-id cache bounded at <paramref name="seriesCacheCapacity"/> series (tests).</summary>
    internal SqliteTelemetryStore(SqliteDatabase database, int seriesCacheCapacity)
    {
        _database = database;
        _seriesIds = new SeriesIdCache(seriesCacheCapacity);
    }

    public string Name => "sqlite";

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _database.ExecuteAsync(Schema, cancellationToken);
    }

    /// <summary>Series the id cache holds and the slots it has room for (tests).</summary>
    internal (int Count, int Capacity) SeriesCache => (_seriesIds.Count, _seriesIds.Capacity);

    /// <summary>
    /// Gives back the series-id cache's slack after a burst, under the write lock (the cache's owner). A write in progress
    /// means the burst is not over: then it declines rather than wait.
    /// </summary>
    public Task TrimAsync(CancellationToken cancellationToken)
    {
        if (_writeLock.Wait(0, cancellationToken))
        {
            try
            {
                _seriesIds.TrimExcess();
            }
            finally
            {
                _writeLock.Release();
            }
        }

        return Task.CompletedTask;
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
            var newSeries = new List<SeriesHash>();
            var buffer = new ArrayBufferWriter<byte>(512);
            try
            {
                foreach (var point in points)
                {
                    var hash = SeriesIdCache.HashOf(point);
                    if (!_seriesIds.TryGet(hash, out var id))
                    {
                        id = await EnsureSeriesAsync(transaction, SeriesKey(point), point, cancellationToken);
                        _seriesIds.Add(hash, id);
                        newSeries.Add(hash);
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
                foreach (var hash in newSeries)
                {
                    _seriesIds.Remove(hash);
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
        var parameters = new DynamicParameters(new { limit = query.Limit });
        var sql = $"""
            SELECT s.measurement, s.tags, p.ts, p.fields FROM points p JOIN series s ON s.id = p.series_id
            WHERE {Filter(parameters, query.Measurement, query.Tags)} AND {TimeRange(parameters, query.From, query.To)}
            ORDER BY p.ts LIMIT @limit
            """;
        return await ReadPointsAsync(sql, parameters, fields: [], cancellationToken);
    }

    public async Task<long> CountAsync(PointQuery query, CancellationToken cancellationToken)
    {
        var parameters = new DynamicParameters();
        var sql = $"""
            SELECT COUNT(*) FROM points p JOIN series s ON s.id = p.series_id
            WHERE {Filter(parameters, query.Measurement, query.Tags)} AND {TimeRange(parameters, query.From, query.To)}
            """;
        return (await ReadAsync<long>(sql, parameters, cancellationToken)).Single();
    }

    public async Task<IReadOnlyList<AggregateBucket>> AggregateAsync(AggregateQuery query, CancellationToken cancellationToken)
    {
        query.Validate();
        var parameters = new DynamicParameters(new { path = JsonPath(query.Field), width = query.Every.Ticks * 100, limit = query.Limit });
        var groupColumns = query.GroupBy.Select((key, i) => $"{TagColumn(parameters, key, $"groupKey{i}")} AS g{i}, ");
        var bucketKey = string.Join(", ", query.GroupBy.Select((_, i) => $"g{i}").Append("b"));
        var last = query.Functions.Contains(AggregateFunction.Last)
            ? $", y AS (SELECT *, LAST_VALUE(v) OVER (PARTITION BY {bucketKey} ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS last FROM x)"
            : null;
        var aggregates = query.Functions.Select((f, i) => f switch
        {
            AggregateFunction.Mean => $"CAST(AVG(v) AS REAL) AS v{i}",
            AggregateFunction.Min => $"CAST(MIN(v) AS REAL) AS v{i}",
            AggregateFunction.Max => $"CAST(MAX(v) AS REAL) AS v{i}",
            AggregateFunction.Sum => $"CAST(SUM(v) AS REAL) AS v{i}",
            AggregateFunction.Count => $"CAST(COUNT(v) AS REAL) AS v{i}",
            AggregateFunction.Last => $"CAST(MAX(last) AS REAL) AS v{i}",
            _ => throw new ArgumentOutOfRangeException(nameof(query), f, "unknown aggregate function"),
        });
        // The bucket is the whole number of widths since From, so buckets start at From as InfluxQL's time(every, offset) does.
        var sql = $"""
            WITH x AS (
                SELECT {string.Concat(groupColumns)}(p.ts - @from) / @width AS b, p.ts AS ts, json_extract(p.fields, @path) AS v
                FROM points p JOIN series s ON s.id = p.series_id
                WHERE {Filter(parameters, query.Measurement, query.Tags)} AND {TimeRange(parameters, query.From, query.To)}
                  AND json_type(p.fields, @path) IN ('integer', 'real')){last}
            SELECT {bucketKey}, {string.Join(", ", aggregates)} FROM {(last is null ? "x" : "y")}
            GROUP BY {bucketKey} ORDER BY {bucketKey} LIMIT @limit
            """;
        var rows = await ReadAsync<dynamic>(sql, parameters, cancellationToken);
        var buckets = new List<AggregateBucket>();
        foreach (IDictionary<string, object?> row in rows)
        {
            var group = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < query.GroupBy.Count; i++)
            {
                if (row[$"g{i}"] is string { Length: > 0 } value)
                {
                    group[query.GroupBy[i]] = value;
                }
            }

            var values = query.Functions.Select((_, i) => row[$"v{i}"] is double d ? d : double.NaN).ToArray();
            buckets.Add(new AggregateBucket(query.From + TimeSpan.FromTicks(query.Every.Ticks * (long)row["b"]!), values, group));
        }

        return [.. buckets.OrderBy(b => QueryLimits.SortKey(string.Empty, b.Group), StringComparer.Ordinal).ThenBy(b => b.Time)];
    }

    public async Task<IReadOnlyList<SeriesInfo>> ListSeriesAsync(SeriesQuery query, CancellationToken cancellationToken)
    {
        query.Validate();
        var parameters = new DynamicParameters(new { limit = query.Limit });
        var where = Filter(parameters, query.Measurement, query.Tags);
        if (query.Keys is null)
        {
            var series = await ReadAsync<(string Measurement, string Tags)>(
                $"SELECT s.measurement, s.tags FROM series s WHERE {where} ORDER BY s.series_key LIMIT @limit", parameters, cancellationToken);
            return Sorted(series.Select(s => new SeriesInfo(s.Measurement, ParseTags(s.Tags))));
        }

        var keys = query.Keys;
        var columns = string.Concat(keys.Select((key, i) => $", {TagColumn(parameters, key, $"key{i}")} AS k{i}"));
        // The port's order: measurement, then tags by key name.
        var order = string.Concat(keys.Select((key, i) => (key, i)).OrderBy(k => k.key, StringComparer.Ordinal).Select(k => $", k{k.i}"));
        var rows = await ReadAsync<dynamic>(
            $"SELECT DISTINCT s.measurement AS m{columns} FROM series s WHERE {where} ORDER BY m{order} LIMIT @limit", parameters, cancellationToken);
        var result = new List<SeriesInfo>();
        foreach (IDictionary<string, object?> row in rows)
        {
            var tags = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < keys.Count; i++)
            {
                if (row[$"k{i}"] is string { Length: > 0 } value)
                {
                    tags[keys[i]] = value;
                }
            }

            result.Add(new SeriesInfo((string)row["m"]!, tags));
        }

        return Sorted(result);
    }

    public async Task<IReadOnlyList<Point>> LatestAsync(LatestQuery query, CancellationToken cancellationToken)
    {
        query.Validate();
        var parameters = new DynamicParameters(new { from = MessageDecoder.ToNs(query.From), to = MessageDecoder.ToNs(query.To), limit = query.Limit });
        var hasField = query.Fields.Count == 0
            ? string.Empty
            : "AND (" + string.Join(" OR ", query.Fields.Select((field, i) =>
            {
                parameters.Add($"field{i}", JsonPath(field));
                return $"json_type(q.fields, @field{i}) IS NOT NULL";
            })) + ")";
        // The primary key (series_id, ts) read backwards finds each series' newest point without a scan.
        var sql = $"""
            SELECT s.measurement, s.tags, p.ts, p.fields FROM series s JOIN points p ON p.series_id = s.id
            WHERE {Filter(parameters, query.Measurement, query.Tags)}
              AND p.ts = (SELECT q.ts FROM points q WHERE q.series_id = s.id AND q.ts >= @from AND q.ts < @to {hasField}
                          ORDER BY q.ts DESC LIMIT 1)
            ORDER BY s.series_key LIMIT @limit
            """;
        var points = await ReadPointsAsync(sql, parameters, query.Fields, cancellationToken);
        return [.. points.OrderBy(p => QueryLimits.SortKey(p.Measurement, p.Tags.ToDictionary(t => t.Key, t => t.Value)), StringComparer.Ordinal)];
    }

    private static SeriesInfo[] Sorted(IEnumerable<SeriesInfo> series) =>
        [.. series.OrderBy(s => QueryLimits.SortKey(s.Measurement, s.Tags), StringComparer.Ordinal)];

    /// <summary>Deletes points older than <paramref name="cutoff"/>; returns how many went.</summary>
    public async Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            _writer ??= await _database.OpenAsync(cancellationToken);
            // Retention may run before the first write created the schema.
            await _writer.ExecuteAsync(new CommandDefinition(Schema, cancellationToken: cancellationToken));
            return await _writer.ExecuteAsync(new CommandDefinition(
                "DELETE FROM points WHERE ts < @cutoff", new { cutoff = MessageDecoder.ToNs(cutoff) }, cancellationToken: cancellationToken));
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

    private Task<long> EnsureSeriesAsync(SqliteTransaction transaction, string key, Point point, CancellationToken cancellationToken) =>
        _writer!.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO series(series_key, measurement, site, device, tags) VALUES (@key, @measurement, @site, @device, @tags)
            ON CONFLICT(series_key) DO NOTHING;
            SELECT id FROM series WHERE series_key = @key;
            """,
            new
            {
                key,
                measurement = point.Measurement,
                site = point.GetTag(TagNames.Site),
                device = point.GetTag(TagNames.Device),
                tags = JsonSerializer.Serialize(point.Tags.ToDictionary(t => t.Key, t => t.Value)),
            },
            transaction,
            cancellationToken: cancellationToken));

    /// <summary>Runs one read (buffered); a database that cannot answer (locked past the timeout, unreadable) is unavailable.</summary>
    private async Task<IEnumerable<T>> ReadAsync<T>(string sql, DynamicParameters parameters, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken);
            return await connection.QueryAsync<T>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
        }
        catch (SqliteException ex)
        {
            throw new StoreUnavailableException($"SQLite read failed: {ex.Message}", ex);
        }
    }

    private async Task<IReadOnlyList<Point>> ReadPointsAsync(string sql, DynamicParameters parameters, IReadOnlyList<string> fields, CancellationToken cancellationToken)
    {
        var rows = await ReadAsync<(string Measurement, string Tags, long Ts, string Fields)>(sql, parameters, cancellationToken);
        return [.. rows.Select(row => new Point(
            row.Measurement,
            [.. ParseTags(row.Tags).Select(t => new Tag(t.Key, t.Value))],
            ParseFields(row.Fields, fields),
            row.Ts))];
    }

    /// <summary>Exact tag matches; site and device have their own indexed columns, other tags are read from the JSON.</summary>
    private static string Filter(DynamicParameters parameters, string? measurement, IReadOnlyDictionary<string, string> tags)
    {
        var where = new List<string>();
        if (measurement is not null)
        {
            where.Add("s.measurement = @measurement");
            parameters.Add("measurement", measurement);
        }

        var i = 0;
        foreach (var (key, value) in tags)
        {
            where.Add($"{TagColumn(parameters, key, $"filterKey{i}")} = @filterValue{i}");
            parameters.Add($"filterValue{i}", value);
            i++;
        }

        return where.Count == 0 ? "1 = 1" : string.Join(" AND ", where);
    }

    private static string TimeRange(DynamicParameters parameters, DateTimeOffset from, DateTimeOffset to)
    {
        parameters.Add("from", MessageDecoder.ToNs(from));
        parameters.Add("to", MessageDecoder.ToNs(to));
        return "p.ts >= @from AND p.ts < @to";
    }

    /// <summary>
    /// The SQL expression of one tag's value in <c>series s</c>. The key is only ever a parameter, compared with
    /// json_each's keys rather than spliced into a JSON path, so that no key can change the path's meaning.
    /// </summary>
    private static string TagColumn(DynamicParameters parameters, string key, string name)
    {
        switch (key)
        {
            case TagNames.Site:
                return "s.site";
            case TagNames.Device:
                return "s.device";
            default:
                parameters.Add(name, key);
                return $"(SELECT j.value FROM json_each(s.tags) j WHERE j.key = @{name})";
        }
    }

    private static string JsonPath(string key) => "$." + JsonSerializer.Serialize(key);

    private static Dictionary<string, string> ParseTags(string json) => JsonSerializer.Deserialize<Dictionary<string, string>>(json)!;

    private static Field[] ParseFields(string json, IReadOnlyList<string> only)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateObject()
            .Where(f => only.Count == 0 || only.Contains(f.Name, StringComparer.Ordinal))
            .Select(f => new Field(f.Name, f.Value.ValueKind switch
            {
                JsonValueKind.True => FieldValue.Boolean(true),
                JsonValueKind.False => FieldValue.Boolean(false),
                JsonValueKind.String => FieldValue.String(f.Value.GetString()!),
                _ when f.Value.TryGetInt64(out var l) && !f.Value.GetRawText().Contains('.', StringComparison.Ordinal) && !f.Value.GetRawText().Contains('E', StringComparison.OrdinalIgnoreCase) => FieldValue.Integer(l),
                _ => FieldValue.Float(f.Value.GetDouble()),
            }))];
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
