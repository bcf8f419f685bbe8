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

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Write_LargeBatchesOfFewSeries_EveryPointStoredWithItsOwnFields(bool gzip)
    {
        // Several batches larger than the encoder's first buffer, three series (cached after their first point), and a
        // point without fields (writes nothing): every point with fields is stored once, with its own values.
        var store = Create(influx.Server.Url, _database, gzip);
        var start = Ioc.Contract.MessageDecoder.ToNs(DateTimeOffset.UtcNow) - 10_000_000_000;
        for (var batch = 0; batch < 3; batch++)
        {
            var points = Enumerable.Range(0, 4_000).Select(i => batch * 4_000 + i).Select(n => new Point("env", [new("device", $"E{n % 3}"), new("site", "xa 1,=")],
                [new("n", FieldValue.Integer(n)), new("temp_c", FieldValue.Float(n / 4.0)), new("note", FieldValue.String($"row \"{n}\""))], start + n)).ToList();
            points.Add(new Point("env", [new("device", "E0")], [], start + 99_999));
            await store.WriteAsync(points, CancellationToken.None);
        }

        var result = await influx.Server.QueryAsync(_database, "SELECT n, temp_c, note, device, site FROM env");
        var rows = result.GetProperty("series")[0].GetProperty("values").EnumerateArray().ToList();

        Assert.Equal(12_000, rows.Count);
        foreach (var row in rows)
        {
            var n = row[1].GetInt64();
            Assert.Equal(start + n, row[0].GetInt64());
            Assert.Equal(n / 4.0, row[2].GetDouble());
            Assert.Equal($"row \"{n}\"", row[3].GetString());
            Assert.Equal($"E{n % 3}", row[4].GetString());
            Assert.Equal("xa 1,=", row[5].GetString());
        }
    }

    private static InfluxDbStore Create(string url, string database, bool gzip = true) =>
        new(new HttpClient(), new InfluxDbOptions { Url = url, Database = database, Timeout = TimeSpan.FromSeconds(10), MaxAttempts = 2, Gzip = gzip }, NullLogger<InfluxDbStore>.Instance);
}
