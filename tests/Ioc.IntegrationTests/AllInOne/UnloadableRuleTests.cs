using System.Net.Http.Json;
using System.Text.Json;
using Ioc.Alerting.Rules.Catalogue;
using Ioc.Alerting.Service;
using Ioc.IntegrationTests.Infrastructure;
using Ioc.Storage;
using Ioc.Storage.Operational;
using Ioc.Storage.Operational.Sqlite;
using Ioc.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Ioc.IntegrationTests.AllInOne;

/// <summary>
/// A rule catalogue in the real SQLite store holding a row this build's loader refuses (as a newer build or a database
/// edit leaves it): the all-in-one host starts anyway, the valid rule fires on data through the embedded broker, and
/// /healthz says which rule does not run and why.
/// </summary>
public sealed class UnloadableRuleTests : IAsyncLifetime
{
    private const string User = "test-simulators";
    private const string Password = "test-simulators-password";
    private const string WaterLeak = """{"id":"water-leak","name":{"vi":"Rò rỉ nước","en":"Water leak"},"kind":"state","severity":"critical","scope":{"deviceTypes":["env-sensor"]},"metric":"water_leak","equals":true}""";
    private const string Forecast = """{"id":"ups-forecast","name":{"vi":"Dự báo pin","en":"Battery forecast"},"kind":"forecast","severity":"major","metric":"battery_pct"}""";
    private readonly string _folder = Directory.CreateTempSubdirectory("ioc-unloadable-rule-").FullName;
    private AllInOneHost _host = null!;

    public async Task InitializeAsync()
    {
        var path = Path.Combine(_folder, "ioc.db");
        var store = new SqliteOperationalStore(new SqliteDatabase(new SqliteOptions { Path = path }));
        await store.MigrateAsync(CancellationToken.None);
        var at = DateTimeOffset.UtcNow;
        Assert.True(await store.Rules.SeedAsync(
            [new StoredRule("water-leak", WaterLeak, true, RuleOrigins.Dashboard, 1, "eng1", at, null), new StoredRule("ups-forecast", Forecast, true, RuleOrigins.Dashboard, 1, "newer-build", at, null)],
            "test", at, CancellationToken.None));
        SqliteConnection.ClearAllPools();

        _host = await AllInOneHost.StartAsync(
            "--Ioc:Simulators:Enabled=false",
            "--Ioc:Dashboard:AdminPassword=all-in-one-test-password",
            $"--Ioc:Broker:Accounts:{User}:Password={Password}",
            $"--Ioc:Broker:Accounts:{User}:Role=Simulators",
            $"--Ioc:Storage:Sqlite:Path={path}");
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Start_CatalogueWithARuleTheLoaderRefuses_EngineRunsTheOthersAndHealthNamesIt()
    {
        using var http = new HttpClient { BaseAddress = new Uri(_host.BaseUrl) };
        JsonElement health = default;
        await Wait.UntilAsync(async () =>
        {
            using var response = await http.GetAsync("/healthz");
            health = await response.Content.ReadFromJsonAsync<JsonElement>();
            return health.GetProperty("status").GetString() != "Starting";
        }, TimeSpan.FromSeconds(15), "broker connection up");

        Assert.Equal("Degraded", health.GetProperty("status").GetString());
        var reason = Assert.Single(health.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.Contains("alert rule", StringComparison.Ordinal)).GetString();
        Assert.StartsWith("degraded: 1 alert rule(s) not running, refused by the rule loader: rule 'ups-forecast': 'kind'", reason, StringComparison.Ordinal);
        var catalog = _host.Services.GetRequiredService<RuleCatalog>();
        Assert.Equal("ups-forecast", Assert.Single(catalog.NotRunning).Stored.Id);
        Assert.Equal(["water-leak"], catalog.Current.Rules.Select(r => r.Id));

        var alerts = _host.Services.GetRequiredService<IAlertService>();
        await using (var publisher = await Publisher.ConnectAsync(_host.MqttPort, username: User, password: Password))
        {
            await publisher.PublishAsync("ioc/v1/dc-tinh/env-sensor/ENV-LEAK/telemetry", $$$"""{"ts":{{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}},"metrics":{"water_leak":true}}""");
        }

        await Wait.UntilAsync(async () => (await alerts.ListOpenAsync(null, CancellationToken.None)).Any(a => a.RuleId == "water-leak"), TimeSpan.FromSeconds(15), "water-leak alert open");
    }
}
