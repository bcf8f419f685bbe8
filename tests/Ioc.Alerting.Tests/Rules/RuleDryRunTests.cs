using Ioc.Alerting.Rules.Catalogue;
using Ioc.Alerting.Tests.Shared;
using Ioc.Contract;
using Ioc.Contract.Model;
using Ioc.Storage;
using Ioc.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Ioc.Alerting.Tests.Rules;

/// <summary>The dry-run replays points from a real SQLite telemetry store through one rule, and changes no alert.</summary>
public sealed class RuleDryRunTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ioc-dryrun-").FullName;
    private SqliteTelemetryStore _telemetry = null!;

    public async Task InitializeAsync()
    {
        _telemetry = new SqliteTelemetryStore(new SqliteDatabase(new SqliteOptions { Path = Path.Combine(_folder, "telemetry.db") }));
        await _telemetry.InitializeAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _telemetry.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>A reading as the decoder stores JSON telemetry: under the device type, tagged with site and device only.</summary>
    private static Point Reading(DeviceAddress device, DateTimeOffset at, string metric, double value) => new(
        device.DeviceType,
        [new(TagNames.Site, device.Site), new(TagNames.Device, device.DeviceId)],
        [new(metric, FieldValue.Float(value))],
        at.ToUnixTimeMilliseconds() * 1_000_000);

    [Fact]
    public async Task Run_StoredReadingsOfTheLastHour_ReportsWhereTheRuleWouldFireAndTouchesNoAlert()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules());
        var now = h.Now;
        await _telemetry.WriteAsync(
        [
            Reading(TestDevices.DcSensor, now.AddMinutes(-90), "pressure_bar", 9.0),
            Reading(TestDevices.DcSensor, now.AddMinutes(-10), "pressure_bar", 2.4),
            Reading(TestDevices.DcSensor, now.AddMinutes(-9), "pressure_bar", 6.8),
            Reading(TestDevices.DcSensor, now.AddMinutes(-8), "pressure_bar", 2.2),
            Reading(TestDevices.DcSensor2, now.AddMinutes(-5), "pressure_bar", 7.5),
            Reading(TestDevices.DcSensor2, now.AddMinutes(-4), "pressure_bar", 7.6),
        ], CancellationToken.None);
        var dryRun = new RuleDryRun(h.Services.GetRequiredService<RuleCatalog>(), _telemetry, h.Time);

        var result = await dryRun.RunAsync(
            """{"id":"pressure-high","kind":"threshold","severity":"major","scope":{"deviceTypes":["env-sensor"]},"metric":"pressure_bar","op":">","value":6,"for":"30s"}""",
            TimeSpan.FromHours(1),
            CancellationToken.None);

        Assert.True(result.Supported);
        Assert.Equal(5, result.PointsRead);
        var fired = result.Hits.Where(x => x.Firing).ToList();
        Assert.Equal([(TestDevices.DcSensor.DeviceId, 6.8), (TestDevices.DcSensor2.DeviceId, 7.5)], fired.Select(x => (x.DeviceId!, x.Value!.Value)));
        Assert.Equal(now.AddMinutes(-9).AddSeconds(30), fired[0].At);
        Assert.Contains(result.Hits, x => !x.Firing && x.DeviceId == TestDevices.DcSensor.DeviceId);
        Assert.Empty(await h.AllAsync());
        Assert.Empty(h.Services.GetRequiredService<RuleCatalog>().Rules);

        // Without a for-duration each reading above the threshold fires at once.
        var immediate = await dryRun.RunAsync(
            """{"id":"pressure-high","kind":"threshold","severity":"major","scope":{"deviceTypes":["env-sensor"]},"metric":"pressure_bar","op":">","value":6}""",
            TimeSpan.FromHours(1),
            CancellationToken.None);
        Assert.Equal([now.AddMinutes(-9), now.AddMinutes(-5)], immediate.Hits.Where(x => x.Firing).Select(x => x.At));
    }

    [Fact]
    public async Task Run_InvalidOrUnsupportedRule_RefusedNamingTheFieldOrMarkedUnsupported()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules());
        var dryRun = new RuleDryRun(h.Services.GetRequiredService<RuleCatalog>(), _telemetry, h.Time);

        var error = await Assert.ThrowsAsync<RuleCommandException>(() => dryRun.RunAsync("""{"id":"x","kind":"threshold","severity":"major","op":">","value":1}""", TimeSpan.FromHours(1), CancellationToken.None));
        var offline = await dryRun.RunAsync("""{"id":"gone","kind":"offline","severity":"major","interval":"60s"}""", TimeSpan.FromHours(1), CancellationToken.None);

        Assert.Equal("metric", Assert.Single(error.Problems).Field);
        Assert.False(offline.Supported);
    }
}
