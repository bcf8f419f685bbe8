using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Ioc.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Ioc.IntegrationTests.Metrics;

/// <summary>
/// The collector host as its own process (the counters are per process), fed through a real Mosquitto: after a known
/// number of valid and malformed messages, <c>/metrics</c> (Prometheus text, bearer token) shows exactly those counts,
/// the same as /healthz.
/// </summary>
public sealed class MetricsEndpointTests
{
    private const string MetricsToken = "metrics-endpoint-test-token";
    private const int Valid = 300;
    private const int BadJson = 4;
    private const int NoMetrics = 3;

    [Fact]
    public async Task Scrape_AfterKnownMessages_ShowsTheExactCounters()
    {
        // Arrange
        await using var broker = await MosquittoBroker.StartAsync();
        var folder = Directory.CreateTempSubdirectory("ioc-metrics-").FullName;
        try
        {
            await using var collector = await HostProcess.StartCollectorAsync("collector", new Dictionary<string, string>
            {
                ["Ioc:Mqtt:Host"] = "127.0.0.1",
                ["Ioc:Mqtt:Port"] = broker.Port.ToString(CultureInfo.InvariantCulture),
                ["Ioc:Mqtt:ClientId"] = "collector-metrics",
                ["Ioc:Storage:Provider"] = "Sqlite",
                ["Ioc:Storage:Sqlite:Path"] = Path.Combine(folder, "ioc.db"),
                ["Ioc:Collector:SpoolPath"] = Path.Combine(folder, "spool"),
                ["Ioc:Collector:BatchInterval"] = "00:00:00.050",
                ["Ioc:Collector:Health:PublishInterval"] = "0",
                ["Ioc:Devices:AutoRegister"] = "true",
                ["Ioc:Metrics:Token"] = MetricsToken,
                ["Ioc:Alerting:CommandToken"] = "metrics-test-command-token",
            });
            using var http = new HttpClient { BaseAddress = new Uri(collector.BaseUrl) };
            await Wait.UntilAsync(async () => (await HealthAsync(http)).GetProperty("mqttConnected").GetInt32() > 0, TimeSpan.FromSeconds(30), "collector connected to Mosquitto");

            // Act
            await using (var publisher = await Publisher.ConnectAsync(broker.Port))
            {
                var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                await publisher.PublishManyAsync(Valid, i => ($"ioc/v1/dc-tinh/env-sensor/ENV-{i % 10:D3}/telemetry", "{\"ts\":" + (now - 10_000 + i) + ",\"metrics\":{\"temp_c\":21.5}}"));
                for (var i = 0; i < BadJson; i++)
                {
                    await publisher.PublishAsync("ioc/v1/dc-tinh/env-sensor/ENV-BAD/telemetry", "{not json");
                }

                for (var i = 0; i < NoMetrics; i++)
                {
                    await publisher.PublishAsync("ioc/v1/dc-tinh/env-sensor/ENV-EMPTY/telemetry", "{\"ts\":" + now + ",\"metrics\":{}}");
                }
            }

            const int total = Valid + BadJson + NoMetrics;
            var written = 0L;
            try
            {
                await Wait.UntilAsync(async () => (written = (await HealthAsync(http)).GetProperty("pointsWritten").GetInt64()) >= Valid, TimeSpan.FromSeconds(15), $"{Valid} points written");
            }
            catch (TimeoutException)
            {
                Assert.Fail((await HealthAsync(http)).ToString() + collector.Output);
            }
            Assert.True(written == Valid, (await HealthAsync(http)).ToString());
            await Wait.UntilAsync(async () => Sample(await ScrapeAsync(http), "ioc_collector_received_total") == total, TimeSpan.FromSeconds(10), $"{total} received on /metrics");
            var text = await ScrapeAsync(http);

            // Assert: the exact counts, by reason, and the levels and histograms beside them.
            Assert.Equal(total, Sample(text, "ioc_collector_received_total"));
            Assert.Equal(Valid, Sample(text, "ioc_collector_accepted_total"));
            Assert.Equal(BadJson, Sample(text, "ioc_collector_rejected_total", "reason=\"bad_json\""));
            Assert.Equal(NoMetrics, Sample(text, "ioc_collector_rejected_total", "reason=\"no_metrics\""));
            Assert.Equal(0, Sample(text, "ioc_collector_rejected_total", "reason=\"rate_limited\""));
            Assert.Equal(Valid, Sample(text, "ioc_collector_points_written_total"));
            Assert.Equal(0, Sample(text, "ioc_collector_spool_bytes"));
            Assert.Equal(0, Sample(text, "ioc_collector_queue_depth", "queue=\"ingest\""));
            // Every collector and engine metric the shipped Grafana dashboard queries is one this host serves.
            var grafana = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "deploy", "grafana", "ioc-dashboard.json"));
            var queried = System.Text.RegularExpressions.Regex.Matches(grafana, @"ioc_(collector|alerting)_[a-z_]+").Select(m => m.Value).ToHashSet();
            Assert.NotEmpty(queried);
            Assert.All(queried, name => Assert.Contains("\n" + name, text, StringComparison.Ordinal));

            var health = await HealthAsync(http);
            Assert.Equal(health.GetProperty("mqttConnected").GetInt32(), Sample(text, "ioc_collector_broker_connections"));
            Assert.True(Sample(text, "ioc_collector_write_latency_milliseconds_count") >= 1, "write latency histogram recorded");
            Assert.Equal(Valid, Sample(text, "ioc_alerting_messages_evaluated_total"));
            Assert.Equal(Valid, Sample(text, "ioc_alerting_evaluation_duration_milliseconds_count", "phase=\"message\""));
            // Rejected messages never reach the engine: it knows the ten devices that sent valid ones.
            Assert.Equal(10, Sample(text, "ioc_alerting_devices"));
            Assert.Equal((total, BadJson + NoMetrics), (health.GetProperty("received").GetInt64(), health.GetProperty("rejected").GetInt64()));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Scrape_WithoutOrWithAWrongToken_Is401_AndRequestsAreTracedToOtlp()
    {
        // Arrange: an OTLP/HTTP receiver that keeps what it is sent.
        var received = new System.Collections.Concurrent.ConcurrentQueue<byte[]>();
        var otlpPort = FreePort.Next();
        var receiverBuilder = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
        receiverBuilder.WebHost.UseUrls($"http://127.0.0.1:{otlpPort}");
        await using var receiver = receiverBuilder.Build();
        receiver.MapPost("/v1/traces", async (Microsoft.AspNetCore.Http.HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            received.Enqueue(body.ToArray());
            return Microsoft.AspNetCore.Http.Results.Ok();
        });
        await receiver.StartAsync();

        await using var broker = await MosquittoBroker.StartAsync();
        var folder = Directory.CreateTempSubdirectory("ioc-metrics-").FullName;
        try
        {
            await using var collector = await HostProcess.StartCollectorAsync("collector", new Dictionary<string, string>
            {
                ["Ioc:Mqtt:Host"] = "127.0.0.1",
                ["Ioc:Mqtt:Port"] = broker.Port.ToString(CultureInfo.InvariantCulture),
                ["Ioc:Storage:Provider"] = "Sqlite",
                ["Ioc:Storage:Sqlite:Path"] = Path.Combine(folder, "ioc.db"),
                ["Ioc:Collector:SpoolPath"] = Path.Combine(folder, "spool"),
                ["Ioc:Metrics:Token"] = MetricsToken,
                ["Ioc:Metrics:OtlpEndpoint"] = $"http://127.0.0.1:{otlpPort}/v1/traces",
                ["Ioc:Metrics:OtlpProtocol"] = "http/protobuf",
                ["Ioc:Alerting:CommandToken"] = "metrics-test-command-token",
            });
            using var http = new HttpClient { BaseAddress = new Uri(collector.BaseUrl) };

            // Act
            using var none = await http.GetAsync("/metrics");
            using var wrong = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", MetricsToken + "x") } };
            using var wrongResponse = await http.SendAsync(wrong);
            using var traced = await http.PostAsync("/api/v1/engine/alerts/1/acknowledge", new StringContent("{}"));

            // Assert: nothing shown without the token; the engine endpoint's request reached the trace receiver.
            foreach (var response in new[] { none, wrongResponse })
            {
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
                Assert.DoesNotContain("ioc_collector", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            Assert.Equal(HttpStatusCode.Unauthorized, traced.StatusCode);
            await Wait.UntilAsync(
                () => received.Any(b => System.Text.Encoding.UTF8.GetString(b).Contains("/api/v1/engine/alerts/1/acknowledge", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(20),
                "the request's span exported over OTLP");
            Assert.DoesNotContain(received, b => System.Text.Encoding.UTF8.GetString(b).Contains("/metrics", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<string> ScrapeAsync(HttpClient http)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", MetricsToken);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The value of the one sample of <paramref name="metric"/> whose labels contain <paramref name="label"/>; -1 if there is none.</summary>
    private static double Sample(string text, string metric, string? label = null)
    {
        var values = text.Split('\n')
            .Where(l => l.StartsWith(metric, StringComparison.Ordinal) && l.Length > metric.Length && l[metric.Length] is ' ' or '{')
            .Where(l => label is null || l.Contains(label, StringComparison.Ordinal))
            .Select(l => double.Parse(l[(l.LastIndexOf('}') is var brace and >= 0 ? brace + 1 : metric.Length)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture))
            .ToList();
        return values.Count switch
        {
            0 => -1,
            1 => values[0],
            _ => throw new InvalidOperationException($"{values.Count} samples of {metric} {label}: {text}"),
        };
    }

    private static async Task<JsonElement> HealthAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/healthz");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }
}
