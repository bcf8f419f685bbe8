using System.Globalization;
using Ioc.Contract.Alerts;
using Ioc.Dashboard.Reports;
using Ioc.Dashboard.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using static Ioc.Dashboard.Tests.Shared.TestReportData;

namespace Ioc.Dashboard.Tests.Reports;

public sealed class MonthlyReportServiceTests : SeededReportTests
{
    private MonthlyReportService Service => Context.Services.GetRequiredService<MonthlyReportService>();

    [Fact]
    public async Task Build_DemoOctober_AvailabilityPerDistrictSiteAndType()
    {
        // Act
        var report = await Service.BuildAsync(October, Vi, CancellationToken.None);

        // Assert
        Assert.False(report.Partial);
        Assert.Equal(MonthStart, report.From);
        Assert.Equal(MonthEnd, report.To);
        Assert.Equal(October, Service.LastFullMonth);
        var down = TimeSpan.FromHours(2);
        Assert.Equal(MonthLength * 3, report.Overall.Observed);
        Assert.Equal(MonthLength * 3 - down, report.Overall.Online);
        Assert.Equal(100.0 * (1 - down / (MonthLength * 3)), report.Overall.Percent!.Value, 9);
        var thanhHa = Assert.Single(report.Districts, d => d.Key == "thanh-ha");
        Assert.Equal("Thanh Hà", thanhHa.Name);
        Assert.Equal(100.0 * (1 - down / MonthLength), thanhHa.Percent!.Value, 9);
        Assert.False(thanhHa.Met);
        Assert.Equal(down, thanhHa.Downtime);
        Assert.Equal(TimeSpan.FromTicks((long)(MonthLength.Ticks * (100 - 99.982) / 100)), thanhHa.AllowedDowntime);
        var giaLoc = Assert.Single(report.Districts, d => d.Key == "gia-loc");
        Assert.True(giaLoc.Met);
        Assert.Equal(100.0, giaLoc.Percent);
        Assert.Equal(2, report.Districts.Count);
        Assert.Equal(["thanh-ha-an-son", "dc-tinh", "gia-loc"], report.Sites.Select(s => s.Key).Take(1).Concat(report.Sites.Skip(1).Select(s => s.Key).Order(StringComparer.Ordinal)));
        Assert.Equal("Thanh Hà · An Sơn", report.Sites[0].Name);
        Assert.Equal("Điểm phát Wi-Fi", report.DeviceTypes[0].Name);
        Assert.Equal(3, report.DeviceTypes.Count);
    }

    [Fact]
    public async Task Build_DemoOctober_IncidentsFoldedWithMttaMttr()
    {
        // Act
        var report = await Service.BuildAsync(October, Vi, CancellationToken.None);

        // Assert: the district-down and the switch's alert; the AP's alert is folded under the district-down; the one of 30/09 is out.
        Assert.Equal(2, report.Incidents.Count);
        Assert.Equal(2, report.IncidentTotals.Count);
        Assert.Equal(1, report.IncidentTotals.Open);
        Assert.Equal(TimeSpan.FromMinutes(7), report.IncidentTotals.Mtta);
        Assert.Equal(TimeSpan.FromHours(2), report.IncidentTotals.Mttr);
        var critical = Assert.Single(report.IncidentsBySeverity, s => s.Severity == AlertSeverity.Critical);
        Assert.Equal((1, TimeSpan.FromMinutes(4), TimeSpan.FromHours(2)), (critical.Count, critical.Mtta!.Value, critical.Mttr!.Value));
        var major = Assert.Single(report.IncidentsBySeverity, s => s.Severity == AlertSeverity.Major);
        Assert.Equal((1, TimeSpan.FromMinutes(10)), (major.Count, major.Mtta!.Value));
        Assert.Null(major.Mttr);
        Assert.Equal(0, Assert.Single(report.IncidentsBySeverity, s => s.Severity == AlertSeverity.Minor).Count);
    }

    [Fact]
    public async Task Build_DemoOctober_TopOffendersAndSecurityByType()
    {
        // Act
        var report = await Service.BuildAsync(October, En, CancellationToken.None);

        // Assert
        var worst = Assert.Single(report.TopByDowntime);
        Assert.Equal(("TH-AP-01", TimeSpan.FromHours(2), 1, 1), (worst.Device, worst.Downtime, worst.Outages, worst.Alerts));
        Assert.Equal("Thanh Ha · An Son", worst.SiteName);
        Assert.Equal(["GL-SW-01", "TH-AP-01"], report.TopByAlerts.Select(o => o.Device).Order(StringComparer.Ordinal));
        Assert.Equal(3, report.Security.Single(s => s.EventType == "auth_failure").Count);
        Assert.Equal(1, report.Security.Single(s => s.EventType == "rogue_ap").Count);
        Assert.Equal("auth_failure", report.Security[0].EventType);
        Assert.DoesNotContain(report.Security, s => s.EventType == "compressor_fault");
        Assert.Equal(4, report.SecurityTotal);
    }

    [Fact]
    public async Task Build_Summary_ReadsTheFiguresInEachLanguage()
    {
        // Act
        var vi = await Service.BuildAsync(October, Vi, CancellationToken.None);
        var en = await Service.BuildAsync(October, En, CancellationToken.None);

        // Assert
        Assert.StartsWith("Trong tháng 10/2026, thiết bị toàn tỉnh sẵn sàng 99,910 % thời gian so với mục tiêu 99,982 % (không đạt); 1/2 huyện đạt mục tiêu.", vi.Summary);
        Assert.Contains("2 sự cố (1 khẩn cấp)", vi.Summary);
        Assert.Contains("4 sự kiện an ninh, nhiều nhất là Đăng nhập thất bại (3)", vi.Summary);
        Assert.StartsWith("In October 2026 the province's devices were available 99.910 % of the time against the 99.982 % target (not met); 1 of 2 districts met the target.", en.Summary);
        Assert.Contains("Longest down: TH-AP-01 at Thanh Ha · An Son (2 h).", en.Summary);
    }

    [Fact]
    public async Task Build_MonthWithoutData_SaysSoInsteadOfZero()
    {
        // Act
        var report = await Service.BuildAsync(new ReportMonth(2026, 6), Vi, CancellationToken.None);

        // Assert
        Assert.False(report.HasData);
        Assert.Null(report.Overall.Percent);
        Assert.Null(report.Overall.Met);
        Assert.Empty(report.Districts);
        Assert.Equal("Không có dữ liệu cho tháng 06/2026: không có trạng thái thiết bị, sự cố hay sự kiện an ninh nào được ghi nhận.", report.Summary);
    }

    [Fact]
    public async Task Build_CurrentMonth_IsPartialUntilNow()
    {
        // Act
        var report = await Service.BuildAsync(Service.CurrentMonth, Vi, CancellationToken.None);

        // Assert
        Assert.Equal(new ReportMonth(2026, 11), report.Month);
        Assert.True(report.Partial);
        Assert.Equal(Context.Time.GetUtcNow(), report.To);
        Assert.Equal(1, report.SecurityTotal);
    }
}
