using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Ioc.Alerting.Service;
using Ioc.IntegrationTests.Infrastructure;
using Ioc.Storage.Operational;
using Microsoft.Extensions.DependencyInjection;

namespace Ioc.IntegrationTests.Api;

/// <summary>
/// The public REST API on the all-in-one host (embedded broker, collector, alert engine, SQLite, dashboard): the OpenAPI
/// document lists exactly the endpoints this test walks; each is called without a token (401 JSON), with a token of
/// each role (403 JSON where the role may not, the real answer where it may), and per-token rate limiting holds.
/// </summary>
public sealed class PublicApiTests : IAsyncLifetime
{
    private const string SimulatorUser = "api-test-simulators";
    private const string SimulatorPassword = "api-test-simulators-password";
    private const string BootstrapToken = "bootstrap-token-for-the-api-tests-0123456789";
    private const string MetricsToken = "metrics-token-for-the-api-tests";
    private const int RateLimit = 40;
    private static readonly string[] Roles = ["viewer", "operator", "engineer", "admin"];
    private readonly Dictionary<string, string> _tokens = [];
    private AllInOneHost _host = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _host = await AllInOneHost.StartAsync(
            "--Ioc:Collector:BatchInterval=00:00:00.050",
            "--Ioc:Simulators:Enabled=false",
            "--Ioc:Collector:Health:PublishInterval=0",
            "--Ioc:Dashboard:AdminPassword=api-test-admin-password",
            $"--Ioc:Api:BootstrapToken={BootstrapToken}",
            $"--Ioc:Api:RateLimit={RateLimit}",
            "--Ioc:Api:RateWindow=00:10:00",
            $"--Ioc:Metrics:Token={MetricsToken}",
            $"--Ioc:Broker:Accounts:{SimulatorUser}:Password={SimulatorPassword}",
            $"--Ioc:Broker:Accounts:{SimulatorUser}:Role=Simulators");
        _http = new HttpClient { BaseAddress = new Uri(_host.BaseUrl) };

        // Tokens as an administrator creates them on /admin/api-tokens.
        var store = _host.Services.GetRequiredService<IApiTokenStore>();
        foreach (var role in Roles)
        {
            _tokens[role] = (await store.CreateAsync($"walk-{role}", role, "admin", DateTimeOffset.UtcNow, CancellationToken.None)).Secret;
        }
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task EveryEndpoint_WithoutTokenAndWithEachRole_AnswersAsTheRolePolicySays()
    {
        // Arrange: a device with telemetry, and one water-leak alert for each role that may act on alerts.
        var alerts = await RaiseLeaksAsync("API-LEAK-OP", "API-LEAK-ADMIN");
        var alertOf = new Dictionary<string, long> { ["operator"] = alerts[0], ["admin"] = alerts[1], ["viewer"] = alerts[0], ["engineer"] = alerts[0] };
        await Wait.UntilAsync(async () => (await SendAsync(HttpMethod.Get, "/api/v1/devices/dc-tinh/env-sensor/ENV-001/latest", null, "admin")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(20), "ENV-001's telemetry stored");
        // A silence may name only a device the engine has heard from (persisted with its health, every few seconds).
        var devices = _host.Services.GetRequiredService<Ioc.Storage.Operational.IOperationalStore>().Devices;
        await Wait.UntilAsync(async () => (await devices.LoadAsync(CancellationToken.None)).Any(d => d.DeviceId == "ENV-002"), TimeSpan.FromSeconds(30), "the engine has recorded ENV-002");
        var silenceOf = new Dictionary<string, long>();
        var now = DateTimeOffset.UtcNow;
        var silenceBody = new { kind = "maintenance", deviceId = "ENV-002", site = "dc-tinh", startsAt = now, endsAt = now.AddHours(1), reason = "bảo trì điều hòa" };
        var from = Uri.EscapeDataString(now.AddHours(-2).ToString("O"));
        var month = now.ToOffset(TimeSpan.FromHours(7)).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

        // Every endpoint, with the roles that may call it (null: every role) and the body it needs.
        var endpoints = new List<(string Method, string Template, Func<string, string> Path, Func<string, object?> Body, string[]? Roles, HttpStatusCode Allowed)>
        {
            ("GET", "/api/v1/devices", _ => "/api/v1/devices", _ => null, null, HttpStatusCode.OK),
            ("GET", "/api/v1/devices/{site}/{deviceType}/{deviceId}", _ => "/api/v1/devices/dc-tinh/env-sensor/ENV-001", _ => null, null, HttpStatusCode.OK),
            ("GET", "/api/v1/devices/{site}/{deviceType}/{deviceId}/latest", _ => "/api/v1/devices/dc-tinh/env-sensor/ENV-001/latest", _ => null, null, HttpStatusCode.OK),
            ("GET", "/api/v1/telemetry/series", _ => $"/api/v1/telemetry/series?measurement=env-sensor&site=dc-tinh&deviceId=ENV-001&from={from}", _ => null, null, HttpStatusCode.OK),
            ("GET", "/api/v1/telemetry/aggregate", _ => $"/api/v1/telemetry/aggregate?measurement=env-sensor&field=temp_c&every=5m&functions=min,mean,max&from={from}", _ => null, null, HttpStatusCode.OK),
            ("GET", "/api/v1/alerts", _ => "/api/v1/alerts?site=dc-tinh", _ => null, null, HttpStatusCode.OK),
            ("GET", "/api/v1/alerts/{id}", r => $"/api/v1/alerts/{alertOf[r]}", _ => null, null, HttpStatusCode.OK),
            ("POST", "/api/v1/alerts/{id}/acknowledge", r => $"/api/v1/alerts/{alertOf[r]}/acknowledge", _ => new { note = "đang xử lý" }, ["operator", "admin"], HttpStatusCode.OK),
            ("POST", "/api/v1/alerts/{id}/assign", r => $"/api/v1/alerts/{alertOf[r]}/assign", _ => new { assignee = "op1" }, ["operator", "admin"], HttpStatusCode.OK),
            ("POST", "/api/v1/alerts/{id}/comments", r => $"/api/v1/alerts/{alertOf[r]}/comments", _ => new { text = "Đã cử kỹ thuật viên" }, ["operator", "admin"], HttpStatusCode.OK),
            ("POST", "/api/v1/alerts/{id}/resolve", r => $"/api/v1/alerts/{alertOf[r]}/resolve", _ => new { note = "đã khắc phục" }, ["operator", "admin"], HttpStatusCode.OK),
            ("GET", "/api/v1/silences", _ => "/api/v1/silences?includeExpired=true", _ => null, null, HttpStatusCode.OK),
            ("POST", "/api/v1/silences", _ => "/api/v1/silences", _ => silenceBody, ["operator", "admin"], HttpStatusCode.OK),
            ("POST", "/api/v1/silences/{id}/end", r => $"/api/v1/silences/{silenceOf.GetValueOrDefault(r, 1)}/end", _ => null, ["operator", "admin"], HttpStatusCode.OK),
            ("GET", "/api/v1/events", _ => $"/api/v1/events?from={from}", _ => null, null, HttpStatusCode.OK),
            ("GET", "/api/v1/uptime", _ => "/api/v1/uptime?by=site", _ => null, null, HttpStatusCode.OK),
            ("GET", "/api/v1/uptime/csv", _ => "/api/v1/uptime/csv?by=district&range=7d", _ => null, ["operator", "engineer", "admin"], HttpStatusCode.OK),
            ("GET", "/api/v1/reports/monthly/{month}", _ => $"/api/v1/reports/monthly/{month}?format=json&lang=en", _ => null, null, HttpStatusCode.OK),
        };

        // The OpenAPI document is served to anyone and describes exactly these operations.
        using var document = await GetJsonAsync("/api/openapi/v1.json");
        var documented = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(m => $"{m.Name.ToUpperInvariant()} {p.Name}"))
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(endpoints.Select(e => $"{e.Method} {e.Template}").Order(StringComparer.Ordinal), documented);
        Assert.True(document.RootElement.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("bearer", out _));

        var calls = 0;
        foreach (var endpoint in endpoints)
        {
            // Act / Assert: no token.
            using (var anonymous = await SendAsync(new HttpMethod(endpoint.Method), endpoint.Path("viewer"), endpoint.Body("viewer"), role: null))
            {
                await AssertErrorAsync(anonymous, HttpStatusCode.Unauthorized, "unauthorized", $"{endpoint.Method} {endpoint.Template} without a token");
            }

            foreach (var role in Roles)
            {
                calls++;
                using var response = await SendAsync(new HttpMethod(endpoint.Method), endpoint.Path(role), endpoint.Body(role), role);
                var what = $"{endpoint.Method} {endpoint.Template} as {role}";
                if (endpoint.Roles is { } allowed && !allowed.Contains(role))
                {
                    await AssertErrorAsync(response, HttpStatusCode.Forbidden, "forbidden", what);
                    continue;
                }

                var body = await response.Content.ReadAsStringAsync();
                Assert.True(endpoint.Allowed == response.StatusCode, $"{what}: {(int)response.StatusCode} {body}");
                if (endpoint.Template == "/api/v1/silences" && endpoint.Method == "POST")
                {
                    silenceOf[role] = JsonDocument.Parse(body).RootElement.GetProperty("id").GetInt64();
                }
            }
        }

        Assert.Equal(endpoints.Count * Roles.Length, calls);

        // The monthly report as a PDF (the machine's Chromium) and a bad month.
        using (var pdf = await SendAsync(HttpMethod.Get, $"/api/v1/reports/monthly/{month}?format=pdf", null, role: "viewer"))
        {
            Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
            Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
            Assert.Equal("%PDF"u8.ToArray(), (await pdf.Content.ReadAsByteArrayAsync())[..4]);
        }

        using (var bad = await SendAsync(HttpMethod.Get, "/api/v1/reports/monthly/2026-13", null, role: "viewer"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }

        // The engine recorded the tokens as the actors, and the API's actions are in the dashboard's audit.
        var details = await _host.Services.GetRequiredService<IAlertQueries>().GetAsync(alerts[0], CancellationToken.None);
        Assert.Equal(("api:walk-operator", "op1"), (details!.Alert.AcknowledgedBy, details.Alert.Assignee));
        Assert.Contains(details.Comments, c => c.Author == "api:walk-operator" && c.Text == "Đã cử kỹ thuật viên");
        var audit = await _host.Services.GetRequiredService<IAuditStore>().ListAsync(200, "api:walk-admin", CancellationToken.None);
        Assert.Contains(audit, e => e.Action == "api.resolve" && e.Target == $"#{alerts[1]}");
    }

    [Fact]
    public async Task Tokens_RevokedBootstrapAndWrongScheme_AreCheckedAndAnswerInJson()
    {
        var store = _host.Services.GetRequiredService<IApiTokenStore>();
        var issued = await store.CreateAsync("short-lived", "viewer", "admin", DateTimeOffset.UtcNow, CancellationToken.None);
        using (var ok = await SendAsync(HttpMethod.Get, "/api/v1/alerts", null, bearer: issued.Secret))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        Assert.NotNull((await store.ListAsync(CancellationToken.None)).Single(t => t.Id == issued.Token.Id).LastUsedAt);
        await store.RevokeAsync(issued.Token.Id, "admin", DateTimeOffset.UtcNow, CancellationToken.None);
        using (var revoked = await SendAsync(HttpMethod.Get, "/api/v1/alerts", null, bearer: issued.Secret))
        {
            await AssertErrorAsync(revoked, HttpStatusCode.Unauthorized, "unauthorized", "a revoked token");
        }

        // The bootstrap token from configuration acts as an administrator.
        using (var bootstrap = await SendAsync(HttpMethod.Get, "/api/v1/uptime/csv", null, bearer: BootstrapToken))
        {
            Assert.Equal(HttpStatusCode.OK, bootstrap.StatusCode);
            Assert.StartsWith("text/csv", bootstrap.Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
            Assert.StartsWith("key,name,observed_s", await bootstrap.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // A dashboard login cookie is not an API credential, and an unknown path under /api/v1 is no login page either.
        using (var basic = await SendAsync(HttpMethod.Get, "/api/v1/devices", null, bearer: null, scheme: new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:api-test-admin-password")))))
        {
            await AssertErrorAsync(basic, HttpStatusCode.Unauthorized, "unauthorized", "basic credentials");
        }

        // The reference page renders the document, with its own script policy on that page only.
        using var page = await _http.GetAsync("/api/docs");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("'unsafe-inline'", page.Headers.GetValues("Content-Security-Policy").Single().Split("script-src")[1].Split(';')[0], StringComparison.Ordinal);
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(html.Contains("\"url\":\"api/openapi/v1.json\"", StringComparison.Ordinal), html);
        using var script = await _http.GetAsync(new Uri(page.RequestMessage!.RequestUri!, "scalar.js"));
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Contains("javascript", script.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        using var login = await _http.GetAsync("/login");
        Assert.DoesNotContain("'unsafe-inline'", login.Headers.GetValues("Content-Security-Policy").Single().Split("script-src")[1].Split(';')[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RateLimit_PerToken_429WithRetryAfterWhileOtherTokensGoOn()
    {
        var store = _host.Services.GetRequiredService<IApiTokenStore>();
        var busy = (await store.CreateAsync("busy", "viewer", "admin", DateTimeOffset.UtcNow, CancellationToken.None)).Secret;
        var quiet = (await store.CreateAsync("quiet", "viewer", "admin", DateTimeOffset.UtcNow, CancellationToken.None)).Secret;

        for (var i = 0; i < RateLimit; i++)
        {
            using var response = await SendAsync(HttpMethod.Get, "/api/v1/silences", null, bearer: busy);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var limited = await SendAsync(HttpMethod.Get, "/api/v1/silences", null, bearer: busy);
        await AssertErrorAsync(limited, HttpStatusCode.TooManyRequests, "rate_limited", "the token's request over the limit");
        Assert.InRange(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 600);
        using var other = await SendAsync(HttpMethod.Get, "/api/v1/silences", null, bearer: quiet);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task Metrics_OnTheAllInOneHost_NeedTheMetricsToken()
    {
        using (var anonymous = await _http.GetAsync("/metrics"))
        {
            await AssertErrorAsync(anonymous, HttpStatusCode.Unauthorized, "unauthorized", "/metrics without the token");
        }

        using (var apiToken = await SendAsync(HttpMethod.Get, "/metrics", null, bearer: BootstrapToken))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, apiToken.StatusCode);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", MetricsToken);
        using var scraped = await _http.SendAsync(request);
        var text = await scraped.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
        Assert.Contains("ioc_collector_received_total", text, StringComparison.Ordinal);
        Assert.Contains("ioc_dashboard_devices{", text, StringComparison.Ordinal);
        Assert.Contains("ioc_alerting_devices", text, StringComparison.Ordinal);
    }

    /// <summary>Publishes telemetry for ENV-000…ENV-009 and a water leak per device id; returns the ids of the alerts, in order.</summary>
    private async Task<long[]> RaiseLeaksAsync(params string[] devices)
    {
        var queries = _host.Services.GetRequiredService<IAlertQueries>();
        await using (var publisher = await Publisher.ConnectAsync(_host.MqttPort, username: SimulatorUser, password: SimulatorPassword))
        {
            await Wait.UntilAsync(() => _host.Services.GetRequiredService<Ioc.Collector.Diagnostics.CollectorStatus>().Snapshot().MqttConnected == 1, TimeSpan.FromSeconds(15), "collector connected");
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await publisher.PublishManyAsync(20, i => ($"ioc/v1/dc-tinh/env-sensor/ENV-{i % 10:D3}/telemetry", "{\"ts\":" + (now - 60_000 + i) + ",\"metrics\":{\"temp_c\":" + (20 + i % 5) + ".5}}"));
            foreach (var device in devices)
            {
                await publisher.PublishAsync($"ioc/v1/dc-tinh/env-sensor/{device}/telemetry", "{\"ts\":" + now + ",\"metrics\":{\"water_leak\":true}}");
            }
        }

        var ids = new long[devices.Length];
        await Wait.UntilAsync(
            async () =>
            {
                var open = await queries.ListOpenAsync(null, CancellationToken.None);
                for (var i = 0; i < devices.Length; i++)
                {
                    ids[i] = open.FirstOrDefault(a => a.RuleId == "water-leak" && a.DeviceId == devices[i])?.Id ?? 0;
                }

                return ids.All(id => id > 0);
            },
            TimeSpan.FromSeconds(20),
            "a water-leak alert for each device");
        return ids;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body, string? role = null, string? bearer = null, AuthenticationHeaderValue? scheme = null)
    {
        using var request = new HttpRequestMessage(method, path);
        var token = bearer ?? (role is null ? null : _tokens[role]);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        else if (scheme is not null)
        {
            request.Headers.Authorization = scheme;
        }

        if (body is not null || method == HttpMethod.Post)
        {
            request.Content = JsonContent.Create(body ?? new { });
        }

        return await _http.SendAsync(request);
    }

    private async Task<JsonDocument> GetJsonAsync(string path)
    {
        using var response = await _http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error, string what)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{what}: expected {(int)status}, got {(int)response.StatusCode} {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(error, JsonDocument.Parse(body).RootElement.GetProperty("error").GetString());
    }
}
