using Ioc.Contract;
using Ioc.Contract.Model;
using Ioc.Storage.Sqlite;
using Ioc.Dashboard.Data;
using Ioc.Dashboard.Tests.Shared;
using Xunit;

namespace Ioc.Dashboard.Tests.Data;

public sealed class TelemetryHistoryTests : IDisposable
{
    private static readonly DeviceAddress Sensor = new("dc-tinh", "env-sensor", "DC-ENV-01");
    private static readonly DateTimeOffset From = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
    private readonly TestDatabase _db = new();
    private readonly SqliteTelemetryStore _store;
    private readonly TelemetryHistory _history;

    public TelemetryHistoryTests()
    {
        _store = new SqliteTelemetryStore(_db.Database);
        _store.InitializeAsync(CancellationToken.None).GetAwaiter().GetResult();
        _history = new TelemetryHistory(_store);
    }

    [Fact]
    public async Task AggregateAsync_OneSamplePerMinuteOverADay_ReturnsBoundedBucketsWithMinMeanMax()
    {
        // Arrange: 1,440 samples; value = minute of the day.
        var points = Enumerable.Range(0, 1440).Select(i => Telemetry(From.AddMinutes(i), i)).ToList();
        await _store.WriteAsync(points, CancellationToken.None);

        // Act
        var buckets = await _history.AggregateAsync(Sensor, "env-sensor", "temp_c", From, From.AddDays(1), 24, CancellationToken.None);

        // Assert
        Assert.Equal(24, buckets.Count);
        Assert.Equal(0, buckets[0].Min);
        Assert.Equal(59, buckets[0].Max);
        Assert.Equal(29.5, buckets[0].Mean, 6);
        Assert.Equal(60, buckets[0].Count);
        Assert.Equal(From.AddHours(23), buckets[23].Start);
    }

    [Fact]
    public async Task AggregateAsync_GapInData_OmitsEmptyBucketsAndKeepsBucketStartsFromFrom()
    {
        // Arrange: samples in hours 0 and 5 only.
        await _store.WriteAsync([Telemetry(From.AddMinutes(10), 1), Telemetry(From.AddMinutes(20), 3), Telemetry(From.AddHours(5).AddMinutes(1), 7)], CancellationToken.None);

        // Act
        var buckets = await _history.AggregateAsync(Sensor, "env-sensor", "temp_c", From, From.AddDays(1), 24, CancellationToken.None);

        // Assert
        Assert.Equal([(From, 1.0, 2.0, 3.0, 2), (From.AddHours(5), 7.0, 7.0, 7.0, 1)], buckets.Select(b => (b.Start, b.Min, b.Mean, b.Max, b.Count)));
    }

    [Fact]
    public async Task NumericFieldsAsync_NewestPointOfTheDay_ListsItsNumericFieldsOnly()
    {
        // Arrange
        var now = From.AddHours(2);
        var point = new Point("env-sensor", [new Tag(TagNames.Site, Sensor.Site), new Tag(TagNames.Device, Sensor.DeviceId)],
            [new Field("temp_c", FieldValue.Float(21)), new Field("humidity_pct", FieldValue.Integer(40)), new Field("fw", FieldValue.String("7.2"))],
            MessageDecoder.ToNs(now.AddMinutes(-5)));
        await _store.WriteAsync([point], CancellationToken.None);

        // Act
        var fields = await _history.NumericFieldsAsync(Sensor, "env-sensor", now, CancellationToken.None);

        // Assert
        Assert.Equal(["humidity_pct", "temp_c"], fields);
    }

    [Fact]
    public async Task StatusAtAsync_ChangesBeforeInstant_ReturnsLastStatePerDevice()
    {
        // Arrange
        await _store.WriteAsync([Status(From.AddHours(1), "online"), Status(From.AddHours(2), "offline"), Status(From.AddHours(5), "online")], CancellationToken.None);

        // Act
        var at3 = await _history.StatusAtAsync(From.AddHours(3), TimeSpan.FromDays(1), CancellationToken.None);
        var changes = await _history.StatusChangesAsync("dc-tinh", "DC-ENV-01", From, From.AddDays(1), CancellationToken.None);

        // Assert
        Assert.Equal(DeviceState.Offline, at3[Sensor.ToString()]);
        Assert.Equal([DeviceState.Online, DeviceState.Offline, DeviceState.Online], changes.Select(c => c.State));
    }

    private static Point Telemetry(DateTimeOffset at, double value) =>
        new("env-sensor", [new Tag(TagNames.Site, Sensor.Site), new Tag(TagNames.Device, Sensor.DeviceId)], [new Field("temp_c", FieldValue.Float(value))], MessageDecoder.ToNs(at));

    private static Point Status(DateTimeOffset at, string state) =>
        new(Measurements.Status,
            [new Tag(TagNames.Site, Sensor.Site), new Tag(TagNames.Device, Sensor.DeviceId), new Tag(TagNames.DeviceType, Sensor.DeviceType)],
            [new Field("state", FieldValue.String(state)), new Field("online", FieldValue.Integer(state == "online" ? 1 : 0))],
            MessageDecoder.ToNs(at));

    public void Dispose()
    {
        _store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _db.Dispose();
    }
}
