using Ioc.Contract;
using Ioc.Contract.Model;
using Ioc.Dashboard.Data;
using Xunit;

namespace Ioc.Dashboard.Tests.Data;

public sealed class UptimeCalculatorTests
{
    private static readonly DeviceAddress Ap = new("thanh-ha", "wifi-ap", "TH-AP-0001");
    private static readonly DeviceAddress Ups = new("dc-tinh", "ups", "DC-UPS-01");
    private static readonly DateTimeOffset From = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = From.AddHours(24);

    [Fact]
    public void ForDevice_OneHourOutage_Counts23Of24Hours()
    {
        // Arrange
        StatusChange[] changes = [new(Ap, From.AddHours(5), DeviceState.Offline), new(Ap, From.AddHours(6), DeviceState.Online)];

        // Act
        var (figure, outages) = UptimeCalculator.ForDevice(Ap, DeviceState.Online, changes, From, To);

        // Assert
        Assert.Equal(TimeSpan.FromHours(24), figure.Observed);
        Assert.Equal(TimeSpan.FromHours(23), figure.Online);
        Assert.Equal(100.0 * 23 / 24, figure.Percent!.Value, 6);
        var outage = Assert.Single(outages);
        Assert.Equal(From.AddHours(5), outage.Start);
        Assert.Equal(TimeSpan.FromHours(1), outage.Duration);
    }

    [Fact]
    public void ForDevice_UnknownBeforeFirstStatus_DoesNotCountThatTime()
    {
        // Arrange: first heard of 12 h into the window, online.
        StatusChange[] changes = [new(Ap, From.AddHours(12), DeviceState.Online)];

        // Act
        var (figure, outages) = UptimeCalculator.ForDevice(Ap, null, changes, From, To);

        // Assert
        Assert.Equal(TimeSpan.FromHours(12), figure.Observed);
        Assert.Equal(100.0, figure.Percent);
        Assert.Empty(outages);
    }

    [Fact]
    public void ForDevice_StillOfflineAtEnd_ReportsOpenOutage()
    {
        // Arrange
        StatusChange[] changes = [new(Ap, From.AddHours(20), DeviceState.Offline)];

        // Act
        var (figure, outages) = UptimeCalculator.ForDevice(Ap, DeviceState.Online, changes, From, To);

        // Assert
        var outage = Assert.Single(outages);
        Assert.Null(outage.End);
        Assert.Equal(TimeSpan.FromHours(4), outage.Duration);
        Assert.Equal(TimeSpan.FromHours(20), figure.Online);
    }

    [Fact]
    public void ForDevice_RepeatedSameState_IsNotAnOutage()
    {
        // Arrange: a retained "online" republished after reconnect.
        StatusChange[] changes = [new(Ap, From.AddHours(3), DeviceState.Online), new(Ap, From.AddHours(4), DeviceState.Online)];

        // Act
        var (figure, outages) = UptimeCalculator.ForDevice(Ap, DeviceState.Online, changes, From, To);

        // Assert
        Assert.Empty(outages);
        Assert.Equal(100.0, figure.Percent);
    }

    [Fact]
    public void Report_DataCenterFigure_OnlyCountsDataCenterSite()
    {
        // Arrange
        var initial = new Dictionary<string, DeviceState> { [Ap.ToString()] = DeviceState.Online, [Ups.ToString()] = DeviceState.Online };
        StatusChange[] changes = [new(Ap, From.AddHours(1), DeviceState.Offline)];

        // Act
        var report = UptimeCalculator.Report(initial, changes, [Ap, Ups], "dc-tinh", From, To);

        // Assert
        Assert.Equal(100.0, report.DataCenter.Percent);
        Assert.Equal(2, report.Services.Count);
        Assert.Equal(Ap.ToString(), report.Devices[0].Key);
        Assert.True(report.DataCenter.Meets(99.982));
    }

    [Fact]
    public void ToCsv_ReportWithOutage_WritesDevicesThenOutagesInLocalTime()
    {
        // Arrange
        var initial = new Dictionary<string, DeviceState> { [Ap.ToString()] = DeviceState.Online };
        StatusChange[] changes = [new(Ap, From.AddHours(5), DeviceState.Offline), new(Ap, From.AddHours(6), DeviceState.Online)];
        var report = UptimeCalculator.Report(initial, changes, [Ap], "dc-tinh", From, To);
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Ho_Chi_Minh");

        // Act
        var lines = UptimeCalculator.ToCsv(report, zone).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        // Assert
        Assert.Equal("kind,key,observed_s,online_s,availability_pct,outages,start,end,duration_s", lines[0].TrimEnd('\r'));
        Assert.Equal("device,thanh-ha/wifi-ap/TH-AP-0001,86400,82800,95.8333,1,,,", lines[1].TrimEnd('\r'));
        Assert.Equal("outage,thanh-ha/wifi-ap/TH-AP-0001,,,,,2026-11-01T12:00:00+07:00,2026-11-01T13:00:00+07:00,3600", lines[2].TrimEnd('\r'));
    }
}
