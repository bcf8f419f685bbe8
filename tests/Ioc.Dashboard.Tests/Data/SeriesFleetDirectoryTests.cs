using Ioc.Contract;
using Ioc.Contract.Model;
using Ioc.Dashboard.Data;
using Ioc.Dashboard.Tests.Shared;
using Ioc.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Ioc.Dashboard.Tests.Data;

public sealed class SeriesFleetDirectoryTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
    private readonly TestDatabase _db = new();
    private readonly SqliteTelemetryStore _store;
    private readonly FakeTimeProvider _time = new(At);
    private readonly SeriesFleetDirectory _directory;

    public SeriesFleetDirectoryTests()
    {
        _store = new SqliteTelemetryStore(_db.Database);
        _store.InitializeAsync(CancellationToken.None).GetAwaiter().GetResult();
        _directory = new SeriesFleetDirectory(_store, _time, NullLogger<SeriesFleetDirectory>.Instance);
    }

    [Fact]
    public async Task ListAsync_TelemetryStatusAndEventSeries_OneDevicePerAddressWithItsDistrict()
    {
        // Arrange: an AP known by telemetry (two racks) and status, a router only by an event, and a series that is no device.
        await _store.WriteAsync(
            [
                Point("wifi-ap", "ninh-giang-xa-1", "NG-AP-101", ("rack", "A")),
                Point("wifi-ap", "ninh-giang-xa-1", "NG-AP-101", ("rack", "B")),
                Point(Measurements.Status, "ninh-giang-xa-1", "NG-AP-101", (TagNames.DeviceType, "wifi-ap")),
                Point(Measurements.Event, "dc-tinh", "DC-CORE-01", (TagNames.DeviceType, "router"), (TagNames.EventType, "login")),
                new Point("custom", [new Tag(TagNames.Site, "dc-tinh")], [new Field("x", FieldValue.Float(1))], MessageDecoder.ToNs(At)),
            ],
            CancellationToken.None);

        // Act
        var devices = await _directory.ListAsync(CancellationToken.None);

        // Assert
        Assert.Equal(["dc-tinh/router/DC-CORE-01", "ninh-giang-xa-1/wifi-ap/NG-AP-101"], devices.Select(d => $"{d.Address.Site}/{d.Address.DeviceType}/{d.Address.DeviceId}"));
        Assert.Null(devices[0].DistrictSlug);
        Assert.Equal("ninh-giang", devices[1].DistrictSlug);
    }

    [Fact]
    public async Task ListAsync_NewSeriesWithinCacheTime_AppearsOnlyAfterTheCacheExpires()
    {
        // Arrange
        await _store.WriteAsync([Point("ups", "dc-tinh", "DC-UPS-01")], CancellationToken.None);
        var first = await _directory.ListAsync(CancellationToken.None);
        await _store.WriteAsync([Point("ups", "dc-tinh", "DC-UPS-02")], CancellationToken.None);

        // Act
        var cached = await _directory.ListAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(31));
        var fresh = await _directory.ListAsync(CancellationToken.None);

        // Assert
        Assert.Single(first);
        Assert.Single(cached);
        Assert.Equal(2, fresh.Count);
    }

    private static Point Point(string measurement, string site, string device, params (string Key, string Value)[] tags) =>
        new(measurement, [new Tag(TagNames.Site, site), new Tag(TagNames.Device, device), .. tags.Select(t => new Tag(t.Key, t.Value))],
            [new Field("x", FieldValue.Float(1))], MessageDecoder.ToNs(At));

    public void Dispose()
    {
        _store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _db.Dispose();
    }
}
