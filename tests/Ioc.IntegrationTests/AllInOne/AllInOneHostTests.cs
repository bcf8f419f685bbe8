using System.Net.Http.Json;
using System.Text.Json;
using Ioc.Storage;
using Ioc.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Ioc.Alerting.Service;

namespace Ioc.IntegrationTests.AllInOne;

/// <summary>The README's first command: embedded broker, collector and SQLite in one process.</summary>
public sealed class AllInOneHostTests : IAsyncLifetime
{
    private const string SimulatorUser = "test-simulators";
    private const string SimulatorPassword = "test-simulators-password";
    private AllInOneHost _host = null!;

    public async Task InitializeAsync() => _host = await AllInOneHost.StartAsync(
        "--Ioc:Collector:BatchInterval=00:00:00.050",
        "--Ioc:Simulators:Enabled=false",
        // The collector's own health reports are received messages too; this test counts them exactly.
        "--Ioc:Collector:Health:PublishInterval=0",
        "--Ioc:Dashboard:AdminPassword=all-in-one-test-password",
        // The embedded broker refuses anonymous clients: this test publishes for many devices as a fleet simulator.
        $"--Ioc:Broker:Accounts:{SimulatorUser}:Password={SimulatorPassword}",
        $"--Ioc:Broker:Accounts:{SimulatorUser}:Role=Simulators");

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task PublishToEmbeddedBroker_IsStoredInSqliteAndCountedInHealth()
    {
        using var http = new HttpClient { BaseAddress = new Uri(_host.BaseUrl) };
        await Wait.UntilAsync(async () => (await HealthAsync(http)).GetProperty("status").GetString() == "Healthy", TimeSpan.FromSeconds(15), "all-in-one healthy");

        await using (var publisher = await Publisher.ConnectAsync(_host.MqttPort, username: SimulatorUser, password: SimulatorPassword))
        {
            await publisher.PublishManyAsync(500, i => Telemetry.EnvSensor(i));
            await publisher.PublishAsync("ioc/v1/dc-tinh/env-sensor/ENV-001/telemetry", "{not json");
        }

        var store = _host.Services.GetRequiredService<ITelemetryStore>();
        var query = new PointQuery("env-sensor", Telemetry.Base.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        await Wait.UntilAsync(async () => await store.CountAsync(query, CancellationToken.None) == 500, TimeSpan.FromSeconds(15), "500 points in SQLite");
        await Wait.UntilAsync(async () => (await HealthAsync(http)).GetProperty("rejected").GetInt64() == 1, TimeSpan.FromSeconds(10), "one rejection counted");
        var health = await HealthAsync(http);
        Assert.Equal("sqlite", health.GetProperty("store").GetString());
        Assert.Equal(1, health.GetProperty("rejectedByReason").GetProperty("bad_json").GetInt64());
        Assert.Equal(501, health.GetProperty("received").GetInt64());
    }

    /// <summary>/healthz answers 503 with the same body until the broker connection is up.</summary>
    private static async Task<JsonElement> HealthAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/healthz");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task WaterLeakPublishedToEmbeddedBroker_OpensAnAlert()
    {
        var alerts = _host.Services.GetRequiredService<IAlertService>();
        await using (var publisher = await Publisher.ConnectAsync(_host.MqttPort, username: SimulatorUser, password: SimulatorPassword))
        {
            await Wait.UntilAsync(() => _host.Services.GetRequiredService<Ioc.Collector.Diagnostics.CollectorStatus>().Snapshot().MqttConnected == 1, TimeSpan.FromSeconds(15), "collector connected");
            await publisher.PublishAsync("ioc/v1/dc-tinh/env-sensor/ENV-LEAK/telemetry", $$$"""{"ts":{{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}},"metrics":{"water_leak":true}}""");
        }

        await Wait.UntilAsync(async () => (await alerts.ListOpenAsync(null, CancellationToken.None)).Any(a => a.RuleId == "water-leak"), TimeSpan.FromSeconds(15), "water-leak alert open");
        var alert = (await alerts.ListOpenAsync(null, CancellationToken.None)).Single(a => a.RuleId == "water-leak");
        Assert.Contains("ENV-LEAK", alert.SubjectKey, StringComparison.Ordinal);
    }
}
