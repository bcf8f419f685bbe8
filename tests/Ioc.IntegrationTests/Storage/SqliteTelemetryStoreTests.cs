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
}
