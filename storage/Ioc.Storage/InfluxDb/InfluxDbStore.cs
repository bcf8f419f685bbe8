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

        var body = Encode(points);
        var delay = TimeSpan.FromMilliseconds(100);
        for (var attempt = 1; ; attempt++)
        {
            string? failure;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, _writeUri) { Content = Content(body) };
                Authorize(request);
                using var response = await _http.SendAsync(request, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
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
        var text = $"SELECT * FROM {InfluxQl.Identifier(query.Measurement)} WHERE {Where(query)} GROUP BY * ORDER BY time ASC LIMIT {query.Limit}";
        using var document = await QueryRawAsync(text, HttpMethod.Get, cancellationToken);
        var points = new List<Point>();
        foreach (var series in EnumerateSeries(document))
        {
            var tags = series.TryGetProperty("tags", out var tagElement)
                ? tagElement.EnumerateObject().Where(t => t.Value.GetString() is { Length: > 0 }).Select(t => new Tag(t.Name, t.Value.GetString()!)).ToArray()
                : [];
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

                points.Add(new Point(query.Measurement, (Tag[])tags.Clone(), [.. fields], ts));
            }
        }

        return [.. points.OrderBy(p => p.TimestampNs).Take(query.Limit)];
    }

    public async Task<long> CountAsync(PointQuery query, CancellationToken cancellationToken)
    {
        var text = $"SELECT COUNT(*) FROM {InfluxQl.Identifier(query.Measurement)} WHERE {Where(query)}";
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

    private static string Where(PointQuery query)
    {
        var where = new StringBuilder($"time >= {InfluxQl.Time(query.From)} AND time < {InfluxQl.Time(query.To)}");
        foreach (var (key, value) in query.Tags)
        {
            where.Append(" AND ").Append(InfluxQl.Identifier(key)).Append(" = ").Append(InfluxQl.Literal(value));
        }

        return where.ToString();
    }

    private static byte[] Encode(IReadOnlyList<Point> points)
    {
        var builder = new StringBuilder(points.Count * 128);
        foreach (var point in points)
        {
            LineProtocolEncoder.Append(builder, point);
        }

        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    private HttpContent Content(byte[] body)
    {
        if (!_options.Gzip)
        {
            return new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" } } };
        }

        using var compressed = new MemoryStream(body.Length / 4 + 64);
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(body);
        }

        var content = new ByteArrayContent(compressed.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
        content.Headers.ContentEncoding.Add("gzip");
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
