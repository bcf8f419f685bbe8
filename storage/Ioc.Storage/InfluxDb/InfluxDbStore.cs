using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Ioc.Contract.Model;
using Ioc.Storage.LineProtocol;
using Microsoft.Extensions.Logging;

namespace Ioc.Storage.InfluxDb;

/// <summary>
/// Stores points in InfluxDB through the v1-compatible HTTP API (<c>POST /write</c>, InfluxQL <c>/query</c>),
/// which InfluxDB 1.x, 2.x (bucket as database, token auth) and 3.x all serve.
/// </summary>
public sealed partial class InfluxDbStore : ITelemetryStore
{
    /// <summary>SHOW SERIES is read in pages of this many series when results are projected.</summary>
    internal const int SeriesPageSize = 10_000;

    /// <summary>The most series one listing reads, so that a listing of a huge database stays bounded.</summary>
    internal const int MaxScannedSeries = 200_000;

    private readonly HttpClient _http;
    private readonly InfluxDbOptions _options;
    private readonly ILogger<InfluxDbStore> _logger;
    private readonly Uri _writeUri;

    public InfluxDbStore(HttpClient http, InfluxDbOptions options, ILogger<InfluxDbStore> logger)
    {
        _http = http;
        _options = options;
        _logger = logger;
        _http.Timeout = options.Timeout;
        var baseUri = options.Url.TrimEnd('/');
        var query = $"db={Uri.EscapeDataString(options.Database)}&precision=ns";
        if (!string.IsNullOrEmpty(options.RetentionPolicy))
        {
            query += $"&rp={Uri.EscapeDataString(options.RetentionPolicy)}";
        }

        _writeUri = new Uri($"{baseUri}/write?{query}");
    }

    public string Name => "influxdb";

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (!_options.CreateDatabase)
        {
            return;
        }

        // CREATE DATABASE is idempotent on 1.x; 2.x/3.x answer it with an error we can ignore (buckets are made there).
        try
        {
            await QueryRawAsync($"CREATE DATABASE {InfluxQl.Identifier(_options.Database)}", HttpMethod.Post, cancellationToken);
        }
        catch (StoreRejectedException ex)
        {
            Log.CreateDatabaseRefused(_logger, _options.Database, ex.Message);
        }
    }

    public async Task WriteAsync(IReadOnlyList<Point> points, CancellationToken cancellationToken)
    {
        if (points.Count == 0)
        {
            return;
        }

        // Returned to the pool only once InfluxDB has answered success (the whole body was read); on any other way out
        // it is left to the GC, since a failed or cancelled send may still be reading it.
        var body = Encode(points);
        var delay = TimeSpan.FromMilliseconds(100);
        for (var attempt = 1; ; attempt++)
        {
            string? failure;
            try
            {
                // HTTP/1.1 exactly: the response comes after the whole body was sent, so the pooled body can go back
                // to the pool on success (HTTP/2 could answer while still sending it).
                using var request = new HttpRequestMessage(HttpMethod.Post, _writeUri)
                {
                    Content = Content(body),
                    Version = HttpVersion.Version11,
                    VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                };
                Authorize(request);
                using var response = await _http.SendAsync(request, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    body.Dispose();
                    return;
                }

                var error = await ReadErrorAsync(response, cancellationToken);
                if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.UnprocessableEntity)
                {
                    throw new StoreRejectedException($"InfluxDB refused points ({(int)response.StatusCode}): {error}");
                }

                failure = $"HTTP {(int)response.StatusCode}: {error}";
                if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
                {
                    // Credentials or database are wrong: retrying now will not help, keeping the batch will.
                    throw new StoreUnavailableException($"InfluxDB write failed: {failure}");
                }
            }
            catch (HttpRequestException ex)
            {
                failure = ex.Message;
            }
            catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                failure = $"timed out after {_options.Timeout}: {ex.Message}";
            }

            if (attempt >= _options.MaxAttempts)
            {
                throw new StoreUnavailableException($"InfluxDB write failed after {attempt} attempts: {failure}");
            }

            Log.WriteRetry(_logger, attempt, failure, delay);
            await Task.Delay(delay, cancellationToken);
            delay *= 4;
        }
    }

    public async Task<IReadOnlyList<Point>> QueryAsync(PointQuery query, CancellationToken cancellationToken)
    {
        var text = $"SELECT * FROM {InfluxQl.Identifier(query.Measurement)} WHERE {Where(query.From, query.To, query.Tags)} GROUP BY * ORDER BY time ASC LIMIT {query.Limit}";
        using var document = await QueryRawAsync(text, HttpMethod.Get, cancellationToken);
        var points = EnumerateSeries(document).SelectMany(series => ReadPoints(series, query.Measurement));
        return [.. points.OrderBy(p => p.TimestampNs).Take(query.Limit)];
    }

    public async Task<long> CountAsync(PointQuery query, CancellationToken cancellationToken)
    {
        var text = $"SELECT COUNT(*) FROM {InfluxQl.Identifier(query.Measurement)} WHERE {Where(query.From, query.To, query.Tags)}";
        using var document = await QueryRawAsync(text, HttpMethod.Get, cancellationToken);
        long count = 0;
        foreach (var series in EnumerateSeries(document))
        {
            foreach (var row in series.GetProperty("values").EnumerateArray())
            {
                // COUNT(*) answers one count per field; the point count is the largest.
                foreach (var cell in row.EnumerateArray().Skip(1))
                {
                    if (cell.ValueKind == JsonValueKind.Number)
                    {
                        count = Math.Max(count, cell.GetInt64());
                    }
                }
            }
        }

        return count;
    }

    public async Task<IReadOnlyList<AggregateBucket>> AggregateAsync(AggregateQuery query, CancellationToken cancellationToken)
    {
        using var document = await QueryRawAsync(AggregateText(query), HttpMethod.Get, cancellationToken);
        var buckets = new List<AggregateBucket>();
        foreach (var series in EnumerateSeries(document))
        {
            var group = SeriesTags(series);
            foreach (var row in series.GetProperty("values").EnumerateArray())
            {
                var cells = row.EnumerateArray().ToArray();
                var values = cells.Skip(1).Select(c => c.ValueKind == JsonValueKind.Number ? c.GetDouble() : double.NaN).ToArray();
                if (values.All(double.IsNaN))
                {
                    continue;
                }

                buckets.Add(new AggregateBucket(FromNs(cells[0].GetInt64()), values, group));
            }
        }

        return [.. buckets.OrderBy(b => QueryLimits.SortKey(string.Empty, b.Group), StringComparer.Ordinal).ThenBy(b => b.Time).Take(query.Limit)];
    }

    public async Task<IReadOnlyList<SeriesInfo>> ListSeriesAsync(SeriesQuery query, CancellationToken cancellationToken)
    {
        query.Validate();
        if (query.Keys is null)
        {
            // Every series is distinct: InfluxDB's order (measurement, then tags by key) is the port's, so LIMIT is exact.
            using var document = await QueryRawAsync(SeriesText(query, query.Limit, 0), HttpMethod.Get, cancellationToken);
            return [.. SeriesKeys(document).Select(ParseSeriesKey).OrderBy(s => QueryLimits.SortKey(s.Measurement, s.Tags), StringComparer.Ordinal)];
        }

        // SHOW SERIES cannot project or make distinct: read it in pages (at most MaxScannedSeries), keep the distinct
        // projections, and answer the first Limit of them in the port's order.
        var found = new Dictionary<string, SeriesInfo>(StringComparer.Ordinal);
        for (var offset = 0; offset < MaxScannedSeries; offset += SeriesPageSize)
        {
            using var document = await QueryRawAsync(SeriesText(query, SeriesPageSize, offset), HttpMethod.Get, cancellationToken);
            var keys = SeriesKeys(document);
            foreach (var series in keys.Select(ParseSeriesKey))
            {
                var tags = query.Keys.Where(series.Tags.ContainsKey).ToDictionary(k => k, k => series.Tags[k], StringComparer.Ordinal);
                found.TryAdd(QueryLimits.SortKey(series.Measurement, tags), new SeriesInfo(series.Measurement, tags));
            }

            if (keys.Count < SeriesPageSize)
            {
                break;
            }
        }

        return [.. found.OrderBy(f => f.Key, StringComparer.Ordinal).Take(query.Limit).Select(f => f.Value)];
    }

    private static List<string> SeriesKeys(JsonDocument document) =>
        [.. EnumerateSeries(document)
            .SelectMany(series => series.TryGetProperty("values", out var values) ? values.EnumerateArray() : Enumerable.Empty<JsonElement>())
            .Select(row => row[0].GetString()!)];

    public async Task<IReadOnlyList<Point>> LatestAsync(LatestQuery query, CancellationToken cancellationToken)
    {
        using var document = await QueryRawAsync(LatestText(query), HttpMethod.Get, cancellationToken);
        var points = EnumerateSeries(document).SelectMany(series => ReadPoints(series, query.Measurement)).Where(p => p.Fields.Count > 0);
        return [.. points
            .OrderBy(p => QueryLimits.SortKey(p.Measurement, p.Tags.ToDictionary(t => t.Key, t => t.Value)), StringComparer.Ordinal)
            .Take(query.Limit)];
    }

    /// <summary>
    /// <c>SELECT min("f"), mean("f") … GROUP BY time(every, offset), "tag" fill(none)</c>: the offset makes buckets start at
    /// From; fill(none) leaves empty buckets out; LIMIT bounds each series, SLIMIT the number of groups.
    /// </summary>
    internal static string AggregateText(AggregateQuery query)
    {
        query.Validate();
        var field = InfluxQl.Identifier(query.Field);
        var select = string.Join(", ", query.Functions.Select(f => $"{FunctionName(f)}({field})"));
        var offset = (query.From.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) % query.Every.Ticks;
        var time = offset == 0 ? InfluxQl.Duration(query.Every) : $"{InfluxQl.Duration(query.Every)}, {InfluxQl.Duration(TimeSpan.FromTicks(offset))}";
        var groupBy = string.Concat(query.GroupBy.Select(k => ", " + InfluxQl.Identifier(k)));
        var text = $"SELECT {select} FROM {InfluxQl.Identifier(query.Measurement)} WHERE {Where(query.From, query.To, query.Tags)} GROUP BY time({time}){groupBy} fill(none) LIMIT {query.Limit}";
        return query.GroupBy.Count == 0 ? text : $"{text} SLIMIT {query.Limit}";
    }

    /// <summary><c>SHOW SERIES [FROM "m"] [WHERE "tag" = 'v'] LIMIT n OFFSET o</c>.</summary>
    internal static string SeriesText(SeriesQuery query, int limit, int offset)
    {
        var text = new StringBuilder("SHOW SERIES");
        if (query.Measurement is not null)
        {
            text.Append(" FROM ").Append(InfluxQl.Identifier(query.Measurement));
        }

        if (query.Tags.Count > 0)
        {
            text.Append(" WHERE ").Append(TagFilter(query.Tags));
        }

        text.Append(CultureInfo.InvariantCulture, $" LIMIT {limit}");
        return offset == 0 ? text.ToString() : text.Append(CultureInfo.InvariantCulture, $" OFFSET {offset}").ToString();
    }

    /// <summary><c>SELECT "f1", "f2" … GROUP BY * ORDER BY time DESC LIMIT 1 SLIMIT n</c>: the newest point of each series.</summary>
    internal static string LatestText(LatestQuery query)
    {
        query.Validate();
        var select = query.Fields.Count == 0 ? "*" : string.Join(", ", query.Fields.Select(InfluxQl.Identifier));
        return $"SELECT {select} FROM {InfluxQl.Identifier(query.Measurement)} WHERE {Where(query.From, query.To, query.Tags)} GROUP BY * ORDER BY time DESC LIMIT 1 SLIMIT {query.Limit}";
    }

    /// <summary>Parses a series key as SHOW SERIES prints it: line protocol <c>m,k=v,k2=v2</c> with <c>\,</c>, <c>\ </c>, <c>\=</c> escapes.</summary>
    internal static SeriesInfo ParseSeriesKey(string key)
    {
        string? measurement = null;
        string? tagKey = null;
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        var current = new StringBuilder();
        for (var i = 0; i <= key.Length; i++)
        {
            if (i == key.Length || key[i] == ',')
            {
                if (measurement is null)
                {
                    measurement = current.ToString();
                }
                else if (tagKey is not null)
                {
                    tags[tagKey] = current.ToString();
                }

                tagKey = null;
                current.Clear();
            }
            else if (key[i] == '\\' && i + 1 < key.Length && key[i + 1] is ',' or ' ' or '=')
            {
                current.Append(key[++i]);
            }
            else if (key[i] == '=' && measurement is not null && tagKey is null)
            {
                tagKey = current.ToString();
                current.Clear();
            }
            else
            {
                current.Append(key[i]);
            }
        }

        return new SeriesInfo(measurement!, tags);
    }

    /// <summary>Runs one InfluxQL statement and returns the JSON answer; throws on transport and statement errors.</summary>
    public async Task<JsonDocument> QueryRawAsync(string influxQl, HttpMethod method, CancellationToken cancellationToken)
    {
        var baseUri = $"{_options.Url.TrimEnd('/')}/query?db={Uri.EscapeDataString(_options.Database)}&epoch=ns";
        // InfluxDB reads q from the URL on GET (reads) and from the form body on POST (statements that change things).
        using var request = method == HttpMethod.Get
            ? new HttpRequestMessage(method, new Uri($"{baseUri}&q={Uri.EscapeDataString(influxQl)}"))
            : new HttpRequestMessage(method, new Uri(baseUri)) { Content = new FormUrlEncodedContent([new KeyValuePair<string, string>("q", influxQl)]) };
        Authorize(request);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new StoreUnavailableException($"InfluxDB query failed: {ex.Message}", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new StoreUnavailableException($"InfluxDB query timed out after {_options.Timeout}", ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var error = await ReadErrorAsync(response, cancellationToken);
                if ((int)response.StatusCode >= 500)
                {
                    throw new StoreUnavailableException($"InfluxDB query failed ({(int)response.StatusCode}): {error}");
                }

                throw new StoreRejectedException($"InfluxDB refused the query ({(int)response.StatusCode}): {error}");
            }

            var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            foreach (var result in document.RootElement.GetProperty("results").EnumerateArray())
            {
                if (result.TryGetProperty("error", out var error))
                {
                    document.Dispose();
                    throw new StoreRejectedException($"InfluxDB refused the query: {error.GetString()}");
                }
            }

            return document;
        }
    }

    private static IEnumerable<JsonElement> EnumerateSeries(JsonDocument document)
    {
        foreach (var result in document.RootElement.GetProperty("results").EnumerateArray())
        {
            if (result.TryGetProperty("series", out var seriesList))
            {
                foreach (var series in seriesList.EnumerateArray())
                {
                    yield return series;
                }
            }
        }
    }

    private static string Where(DateTimeOffset from, DateTimeOffset to, IReadOnlyDictionary<string, string> tags) =>
        tags.Count == 0
            ? $"time >= {InfluxQl.Time(from)} AND time < {InfluxQl.Time(to)}"
            : $"time >= {InfluxQl.Time(from)} AND time < {InfluxQl.Time(to)} AND {TagFilter(tags)}";

    private static string TagFilter(IReadOnlyDictionary<string, string> tags) =>
        string.Join(" AND ", tags.Select(t => $"{InfluxQl.Identifier(t.Key)} = {InfluxQl.Literal(t.Value)}"));

    private static string FunctionName(AggregateFunction function) => function switch
    {
        AggregateFunction.Mean => "mean",
        AggregateFunction.Min => "min",
        AggregateFunction.Max => "max",
        AggregateFunction.Sum => "sum",
        AggregateFunction.Count => "count",
        AggregateFunction.Last => "last",
        _ => throw new ArgumentOutOfRangeException(nameof(function), function, "unknown aggregate function"),
    };

    private static DateTimeOffset FromNs(long ns) => DateTimeOffset.UnixEpoch.AddTicks(ns / 100);

    /// <summary>The series' tags (GROUP BY answers); an empty value means the series lacks the tag and is left out.</summary>
    private static Dictionary<string, string> SeriesTags(JsonElement series)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (series.TryGetProperty("tags", out var element))
        {
            foreach (var tag in element.EnumerateObject())
            {
                if (tag.Value.GetString() is { Length: > 0 } value)
                {
                    tags[tag.Name] = value;
                }
            }
        }

        return tags;
    }

    /// <summary>Rows of one answered series as points (null cells are fields the point lacks).</summary>
    private static IEnumerable<Point> ReadPoints(JsonElement series, string measurement)
    {
        var tags = SeriesTags(series).Select(t => new Tag(t.Key, t.Value)).ToArray();
        var columns = series.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!).ToArray();
        foreach (var row in series.GetProperty("values").EnumerateArray())
        {
            long ts = 0;
            var fields = new List<Field>(columns.Length);
            var index = 0;
            foreach (var cell in row.EnumerateArray())
            {
                var column = columns[index++];
                if (column == "time")
                {
                    ts = cell.GetInt64();
                    continue;
                }

                FieldValue? value = cell.ValueKind switch
                {
                    JsonValueKind.Number when cell.TryGetInt64(out var l) && !cell.GetRawText().Contains('.', StringComparison.Ordinal) => FieldValue.Integer(l),
                    JsonValueKind.Number => FieldValue.Float(cell.GetDouble()),
                    JsonValueKind.True => FieldValue.Boolean(true),
                    JsonValueKind.False => FieldValue.Boolean(false),
                    JsonValueKind.String => FieldValue.String(cell.GetString()!),
                    _ => null,
                };
                if (value is { } v)
                {
                    fields.Add(new Field(column, v));
                }
            }

            yield return new Point(measurement, (Tag[])tags.Clone(), [.. fields], ts);
        }
    }

    /// <summary>The batch as line protocol in a pooled buffer, gzipped into a second one when configured.</summary>
    private PooledBufferWriter Encode(IReadOnlyList<Point> points)
    {
        var text = new PooledBufferWriter(points.Count * 160);
        for (var i = 0; i < points.Count; i++)
        {
            LineProtocolEncoder.Write(text, points[i]);
        }

        if (!_options.Gzip)
        {
            return text;
        }

        using (text)
        {
            var compressed = new PooledBufferWriter(text.WrittenCount / 4 + 64);
            using (var gzip = new GZipStream(new BufferWriterStream(compressed), CompressionLevel.Fastest))
            {
                gzip.Write(text.WrittenSpan);
            }

            return compressed;
        }
    }

    private HttpContent Content(PooledBufferWriter body)
    {
        var written = body.WrittenSegment;
        var content = new ByteArrayContent(written.Array!, written.Offset, written.Count);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
        if (_options.Gzip)
        {
            content.Headers.ContentEncoding.Add("gzip");
        }

        return content;
    }

    private void Authorize(HttpRequestMessage request)
    {
        if (!string.IsNullOrEmpty(_options.Token))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Token", _options.Token);
        }
        else if (!string.IsNullOrEmpty(_options.Username))
        {
            var raw = Encoding.UTF8.GetBytes($"{_options.Username}:{_options.Password}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(raw));
        }
    }

    private static async Task<string> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var json = JsonDocument.Parse(text);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("error", out var error))
            {
                return error.GetString() ?? text;
            }
        }
        catch (JsonException)
        {
        }

        return text.Length > 500 ? text[..500] : text;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "InfluxDB write attempt {Attempt} failed ({Failure}); retrying in {Delay}")]
        public static partial void WriteRetry(ILogger logger, int attempt, string failure, TimeSpan delay);

        [LoggerMessage(Level = LogLevel.Information, Message = "InfluxDB did not create database {Database} ({Reason}); it must exist already (2.x/3.x bucket)")]
        public static partial void CreateDatabaseRefused(ILogger logger, string database, string reason);
    }
}
