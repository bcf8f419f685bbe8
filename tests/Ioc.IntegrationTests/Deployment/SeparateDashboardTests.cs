using System.Diagnostics;
using Ioc.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using Npgsql;
using Xunit.Abstractions;

namespace Ioc.IntegrationTests.Deployment;

/// <summary>
/// The dashboard as its own process (the production topology), on PostgreSQL, beside a collector process that evaluates the
/// rules: an alert the collector raises reaches an operator's open console through the store's change feed (no MQTT, no
/// reload), and an acknowledgement made in the console is carried out by the engine, which records who made it.
/// </summary>
public sealed class SeparateDashboardTests(ITestOutputHelper output)
{
    private const string AdminPassword = "separate-dashboard-admin";
    private const string CommandToken = "separate-dashboard-command-token";

    [Fact]
    public async Task DashboardProcess_ShowsTheCollectorsAlertWithinOneSecond_AndItsAcknowledgementIsTheEngines()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var influx = await InfluxDbServer.StartAsync();
        await using var postgres = await PostgresServer.StartAsync();
        var operational = await postgres.DatabaseAsync("separate-dashboard");
        var folder = Directory.CreateTempSubdirectory("ioc-separate-").FullName;
        var collectorPort = FreePort.Next();
        var shared = new Dictionary<string, string>
        {
            ["Ioc:Mqtt:Host"] = "127.0.0.1",
            ["Ioc:Mqtt:Port"] = broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Ioc:Storage:Provider"] = "InfluxDB",
            ["Ioc:Storage:InfluxDB:Url"] = influx.Url,
            ["Ioc:Storage:InfluxDB:Database"] = "separate",
            ["Ioc:Operational:Provider"] = "Postgres",
            ["Ioc:Operational:Postgres:ConnectionString"] = operational,
            ["Ioc:Alerting:CommandToken"] = CommandToken,
            ["Ioc:Alerting:Evaluator:Input"] = "Lease",
        };
        var collectorSettings = new Dictionary<string, string>(shared)
        {
            ["Ioc:Mqtt:ClientId"] = "collector-1",
            ["Ioc:Collector:SpoolPath"] = Path.Combine(folder, "spool"),
            ["Ioc:Collector:BatchInterval"] = "00:00:00.050",
            ["Ioc:Alerting:Evaluator:Endpoint"] = $"http://127.0.0.1:{collectorPort}/",
            ["Ioc:Alerting:Announcements:Enabled"] = "false",
        };
        var dashboardSettings = new Dictionary<string, string>(shared)
        {
            ["Ioc:Dashboard:AdminPassword"] = AdminPassword,
            ["Ioc:Storage:InfluxDB:CreateDatabase"] = "false",
        };

        await using var collector = await HostProcess.StartCollectorAsync("collector", collectorSettings, collectorPort);
        await Wait.UntilAsync(async () => await ScalarAsync<string>(operational, "SELECT holder FROM leases WHERE expires_at > now()") is not null, TimeSpan.FromSeconds(30), "the collector holds the evaluator lease");
        await using var dashboard = await HostProcess.StartDashboardAsync("dashboard", dashboardSettings);
        await using var browser = await DashboardBrowser.LaunchAsync(dashboard.BaseUrl + "/", AdminPassword);
        try
        {
            var page = await browser.LoginAsync("admin", "alerts", timeoutMs: 30_000);

            // The moment the row appears, taken in the page (a mutation observer, the machine's clock), not when a poll sees it.
            await page.EvaluateAsync("""
                () => {
                    window.__seenAt = 0;
                    const check = () => {
                        if (!window.__seenAt && [...document.querySelectorAll('[data-testid=alert-row]')].some(r => r.textContent.includes('DC-LEAK-07'))) {
                            window.__seenAt = Date.now();
                        }
                    };
                    new MutationObserver(check).observe(document.body, { childList: true, subtree: true, characterData: true });
                }
                """);

            // Act: a water leak under the raised floor, reported by a sensor to the broker.
            await using var publisher = await Publisher.ConnectAsync(broker.Port);
            await publisher.PublishAsync("ioc/v1/dc-tinh/env-sensor/DC-LEAK-07/telemetry", "{\"metrics\":{\"water_leak\":true}}");

            // Assert: the console shows it without a reload, within 1 s of the engine raising it.
            var row = page.Locator("[data-testid=alert-row]", new() { HasText = "DC-LEAK-07" });
            await Assertions.Expect(row).ToHaveCountAsync(1, new() { Timeout = 30_000 });
            var seenAt = DateTimeOffset.FromUnixTimeMilliseconds((long)await page.EvaluateAsync<double>("() => window.__seenAt"));
            var firedAt = await ScalarAsync<DateTime>(operational, "SELECT fired_at FROM ioc_alerts WHERE device_id = 'DC-LEAK-07' AND rule_id = 'water-leak'");
            var latency = seenAt - new DateTimeOffset(DateTime.SpecifyKind(firedAt, DateTimeKind.Utc));
            output.WriteLine($"alert raised by the collector process, shown in the dashboard process after {latency.TotalMilliseconds:F0} ms");
            Console.WriteLine($"separate dashboard: alert shown {latency.TotalMilliseconds:F0} ms after the engine raised it");
            Assert.True(latency < TimeSpan.FromSeconds(1), $"shown {latency.TotalMilliseconds:F0} ms after it was raised");

            // The operator acknowledges it in the console; the engine (in the collector process) carries it out.
            var clicked = Stopwatch.StartNew();
            await row.Locator("[data-testid=ack]").ClickAsync();
            await Assertions.Expect(row).ToHaveAttributeAsync("data-state", "acknowledged", new() { Timeout = 15_000 });
            output.WriteLine($"acknowledgement shown after {clicked.ElapsedMilliseconds} ms");
            Assert.Equal("acknowledged", await ScalarAsync<string>(operational, "SELECT state FROM ioc_alerts WHERE device_id = 'DC-LEAK-07'"));
            Assert.Equal("admin", await ScalarAsync<string>(operational, "SELECT acknowledged_by FROM ioc_alerts WHERE device_id = 'DC-LEAK-07'"));

            // The engine's own view agrees: a second acknowledgement is refused by the engine as a state conflict.
            using var http = new HttpClient();
            var alertId = await ScalarAsync<long>(operational, "SELECT id FROM ioc_alerts WHERE device_id = 'DC-LEAK-07'");
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{collector.BaseUrl}/api/v1/engine/alerts/{alertId}/acknowledge")
            {
                Content = JsonContent("{\"user\":\"probe\"}"),
            };
            request.Headers.Authorization = new("Bearer", CommandToken);
            using var response = await http.SendAsync(request);
            Assert.Equal(System.Net.HttpStatusCode.Conflict, response.StatusCode);
        }
        catch (Exception) when (Dump(collector, dashboard))
        {
            throw;
        }
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    private bool Dump(params HostProcess[] hosts)
    {
        foreach (var host in hosts)
        {
            output.WriteLine(host.Output);
        }

        return false;
    }

    private static async Task<T?> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }
}
