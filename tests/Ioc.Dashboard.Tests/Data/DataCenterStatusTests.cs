using Ioc.Alerting.Rules;
using Ioc.Alerting.Service;
using Ioc.Contract.Alerts;
using Ioc.Dashboard.Configuration;
using Ioc.Dashboard.Data;
using Ioc.Dashboard.Live;
using Ioc.Dashboard.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Ioc.Dashboard.Tests.Data;

public sealed class DataCenterStatusTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 3, 0, 0, TimeSpan.Zero));
    private readonly TestAlertEngine _engine;
    private readonly CountingQueries _queries;
    private readonly DeviceStateStore _live;
    private readonly AlertAnnouncements _announcements;
    private readonly DataCenterStatus _status;

    public DataCenterStatusTests()
    {
        _engine = new TestAlertEngine(_time);
        _queries = new CountingQueries(_engine);
        _live = new DeviceStateStore(_time, NullLogger<DeviceStateStore>.Instance, _engine);
        _announcements = new AlertAnnouncements(_time, NullLogger<AlertAnnouncements>.Instance, _engine);
        var services = new ServiceCollection().AddSingleton<IAlertQueries>(_queries).BuildServiceProvider();
        _status = new DataCenterStatus(new TestFleetDirectory(_live), _live, _announcements, _time, services,
            Microsoft.Extensions.Options.Options.Create(new DashboardOptions()), Microsoft.Extensions.Options.Options.Create(new DataCenterOptions()));
        new TestDataCenter(_live, _time).Seed();
    }

    [Fact]
    public async Task ReadAsync_TelemetryOnly_ReadsOpenAlertsOnceUntilAnAlertChanges()
    {
        // Arrange
        await _status.ReadAsync(CancellationToken.None);

        // Act: live telemetry re-reads (as the page does every 100 ms under load), no alert change.
        for (var i = 0; i < 10; i++)
        {
            new TestDataCenter(_live, _time).Inlet("B01", 30 + i);
            await _status.ReadAsync(CancellationToken.None);
        }

        // Assert
        Assert.Equal(1, _queries.Reads);
        Assert.Equal("39.0", (await _status.ReadAsync(CancellationToken.None)).Rows[1].Racks[0].InletC?.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture));

        // Act: an alert fires (announced), then time passes beyond the freshness bound.
        _engine.Add(AlertSeverity.Critical, "Máy nén dừng", TestDataCenter.Site, deviceId: "DC-CRAC-B1");
        var afterChange = await _status.ReadAsync(CancellationToken.None);
        _time.Advance(DataCenterStatus.AlertsFreshFor);
        await _status.ReadAsync(CancellationToken.None);

        // Assert
        Assert.Equal(3, _queries.Reads);
        Assert.Equal(AlertSeverity.Critical, Assert.Single(afterChange.Alerts).Severity);
    }

    public void Dispose()
    {
        _announcements.Dispose();
        _live.Dispose();
    }

    private sealed class CountingQueries(IAlertQueries inner) : IAlertQueries
    {
        private int _reads;

        public int Reads => Volatile.Read(ref _reads);

        public IReadOnlyList<AlertRule> Rules => inner.Rules;

        public Task<IReadOnlyList<Alert>> ListOpenAsync(AlertFilter? filter, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            return inner.ListOpenAsync(filter, cancellationToken);
        }

        public Task<IReadOnlyList<Alert>> ListAsync(AlertFilter filter, CancellationToken cancellationToken) => inner.ListAsync(filter, cancellationToken);

        public Task<AlertDetails?> GetAsync(long id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);

        public Task<IReadOnlyList<Silence>> ListSilencesAsync(bool includeExpired, CancellationToken cancellationToken) => inner.ListSilencesAsync(includeExpired, cancellationToken);

        public Task<IReadOnlyList<DeviceHealth>> ListDeviceHealthAsync(CancellationToken cancellationToken) => inner.ListDeviceHealthAsync(cancellationToken);

        public Task<AlertStatistics> GetStatisticsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) => inner.GetStatisticsAsync(from, to, cancellationToken);
    }
}
