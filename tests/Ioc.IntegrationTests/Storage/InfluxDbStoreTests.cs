using Ioc.Contract.Model;
using Ioc.Storage;
using Ioc.Storage.InfluxDb;
using Ioc.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ioc.IntegrationTests.Storage;

/// <summary>The contract suite against a real InfluxDB 1.6.7, plus what only InfluxDB can do wrong.</summary>
[Collection(InfluxCollection.Name)]
public sealed class InfluxDbStoreTests(InfluxFixture influx) : TelemetryStoreContractTests, IAsyncLifetime
{
    private readonly string _database = "contract_" + Guid.NewGuid().ToString("N")[..8];
    private InfluxDbStore? _store;

    protected override ITelemetryStore Store => _store!;

    public async Task InitializeAsync()
    {
        _store = Create(influx.Server.Url, _database);
        await _store.InitializeAsync(CancellationToken.None);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Write_FieldTypeConflict_ThrowsStoreRejected()
    {
        var now = Ioc.Contract.MessageDecoder.ToNs(DateTimeOffset.UtcNow);
        await _store!.WriteAsync([new Point("ups", [new("device", "U1")], [new("load_pct", FieldValue.Float(40))], now)], CancellationToken.None);

        var ex = await Assert.ThrowsAsync<StoreRejectedException>(() =>
            _store.WriteAsync([new Point("ups", [new("device", "U1")], [new("load_pct", FieldValue.String("high"))], now + 1)], CancellationToken.None));

        Assert.Contains("conflict", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Write_ToClosedPort_ThrowsStoreUnavailable()
    {
        var store = Create($"http://127.0.0.1:{FreePort.Next()}", _database);

        await Assert.ThrowsAsync<StoreUnavailableException>(() =>
            store.WriteAsync([new Point("ups", [new("device", "U1")], [new("load_pct", FieldValue.Float(1))], 1)], CancellationToken.None));
    }

    [Fact]
    public async Task Write_IsStoredWithGzipAndReadableByPlainInfluxQl()
    {
        var now = Ioc.Contract.MessageDecoder.ToNs(DateTimeOffset.UtcNow);
        await _store!.WriteAsync([new Point("pdu", [new("site", "dc-tinh"), new("device", "PDU-1")], [new("power_kw", FieldValue.Float(3.25))], now)], CancellationToken.None);

        var result = await influx.Server.QueryAsync(_database, "SELECT power_kw, site, device FROM pdu");

        var row = result.GetProperty("series")[0].GetProperty("values")[0];
        Assert.Equal(now, row[0].GetInt64());
        Assert.Equal(3.25, row[1].GetDouble());
        Assert.Equal("dc-tinh", row[2].GetString());
        Assert.Equal("PDU-1", row[3].GetString());
    }

    private static InfluxDbStore Create(string url, string database) =>
        new(new HttpClient(), new InfluxDbOptions { Url = url, Database = database, Timeout = TimeSpan.FromSeconds(2), MaxAttempts = 2 }, NullLogger<InfluxDbStore>.Instance);
}
