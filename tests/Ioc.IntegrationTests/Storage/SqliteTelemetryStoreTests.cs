using Ioc.Storage;
using Ioc.Storage.Sqlite;

namespace Ioc.IntegrationTests.Storage;

public sealed class SqliteTelemetryStoreTests : TelemetryStoreContractTests, IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ioc-sqlite-").FullName;
    private SqliteTelemetryStore? _store;

    protected override ITelemetryStore Store => _store!;

    public async Task InitializeAsync()
    {
        _store = new SqliteTelemetryStore(new SqliteDatabase(new SqliteOptions { Path = Path.Combine(_folder, "t.db") }));
        await _store.InitializeAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _store!.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task DeleteOlderThan_RemovesOnlyOldPoints()
    {
        var old = new Ioc.Contract.Model.Point("ups", [new("device", "U1")], [new("load_pct", Ioc.Contract.Model.FieldValue.Float(1))], 1_000_000_000);
        var recent = new Ioc.Contract.Model.Point("ups", [new("device", "U1")], [new("load_pct", Ioc.Contract.Model.FieldValue.Float(2))], Ioc.Contract.MessageDecoder.ToNs(DateTimeOffset.UtcNow));
        await _store!.WriteAsync([old, recent], CancellationToken.None);

        var deleted = await _store.DeleteOlderThanAsync(DateTimeOffset.UtcNow.AddDays(-1), CancellationToken.None);

        Assert.Equal(1, deleted);
        Assert.Equal(1, await _store.CountAsync(new PointQuery("ups", DateTimeOffset.UnixEpoch, DateTimeOffset.UtcNow.AddDays(1)), CancellationToken.None));
    }

    [Fact]
    public async Task TrimAsync_AfterABurstOfNewSeries_GivesTheCacheSlackBack_AndKeepsEverySeries()
    {
        // 3,000 new series in one burst: the cache's table grew past them by doubling (4,049 slots on .NET 10).
        await using var store = new SqliteTelemetryStore(new SqliteDatabase(new SqliteOptions { Path = Path.Combine(_folder, "trim.db") }));
        await store.InitializeAsync(CancellationToken.None);
        Ioc.Contract.Model.Point[] Round(int round) => Enumerable.Range(0, 3_000).Select(i => new Ioc.Contract.Model.Point(
            "ups",
            [new("device", $"U{i}"), new("site", "core")],
            [new("load_pct", Ioc.Contract.Model.FieldValue.Float(i + (round * 0.5)))],
            (round + 1) * 1_000_000_000L)).ToArray();
        await store.WriteAsync(Round(0), CancellationToken.None);
        var before = store.SeriesCache;

        await store.TrimAsync(CancellationToken.None);
        var after = store.SeriesCache;
        await store.WriteAsync(Round(1), CancellationToken.None);

        Assert.Equal(3_000, before.Count);
        Assert.True(before.Capacity > 3_900, $"{before.Capacity} slots before");
        Assert.Equal(3_000, after.Count);
        Assert.True(after.Capacity < 3_450, // the next of the runtime's table primes (3,371)
             $"{after.Capacity} slots after the trim");
        Assert.Equal(3_000, store.SeriesCache.Count); // the second round found every series in the trimmed cache
        var query = new PointQuery("ups", DateTimeOffset.UnixEpoch, DateTimeOffset.UtcNow) { Tags = new Dictionary<string, string> { ["device"] = "U2999" } };
        var values = (await store.QueryAsync(query, CancellationToken.None)).OrderBy(p => p.TimestampNs).Select(p => p.GetField("load_pct")!.Value.AsDouble()).ToArray();
        Assert.Equal([2999.0, 2999.5], values);
    }

    [Fact]
    public async Task Write_MoreSeriesThanTheIdCacheHolds_KeepsEveryPointInItsOwnSeries()
    {
        // A cache of 2 series against 5: it starts again empty several times; ids come back from the database.
        await using var store = new SqliteTelemetryStore(new SqliteDatabase(new SqliteOptions { Path = Path.Combine(_folder, "bounded.db") }), seriesCacheCapacity: 2);
        await store.InitializeAsync(CancellationToken.None);
        var devices = new[] { "U1", "U2", "U3", "U4", "U5" };
        for (var round = 0; round < 3; round++)
        {
            var points = devices.Select((device, i) => new Ioc.Contract.Model.Point(
                "ups",
                [new("device", device), new("site", "core")],
                [new("load_pct", Ioc.Contract.Model.FieldValue.Float((i * 10) + round))],
                (round + 1) * 1_000_000_000L)).ToArray();
            await store.WriteAsync(points, CancellationToken.None);
        }

        for (var i = 0; i < devices.Length; i++)
        {
            var query = new PointQuery("ups", DateTimeOffset.UnixEpoch, DateTimeOffset.UtcNow) { Tags = new Dictionary<string, string> { ["device"] = devices[i] } };
            var values = (await store.QueryAsync(query, CancellationToken.None)).OrderBy(p => p.TimestampNs).Select(p => p.GetField("load_pct")!.Value.AsDouble()).ToArray();
            Assert.Equal([(i * 10) + 0.0, (i * 10) + 1.0, (i * 10) + 2.0], values);
        }
    }
}
