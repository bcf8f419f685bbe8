using System.Globalization;
using Bunit;
using Ioc.Contract.Alerts;
using Ioc.Dashboard.Components.Pages;
using Ioc.Dashboard.Data;
using Ioc.Dashboard.Live;
using Ioc.Dashboard.Security;
using Ioc.Dashboard.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Ioc.Dashboard.Tests.Components;

public sealed class DataCenterPageTests : IAsyncLifetime
{
    private readonly DashboardTestContext _ctx = new();
    private readonly TestDataCenter _dc;

    public DataCenterPageTests()
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("vi-VN");
        _ctx.SignInAs("it1", Roles.Viewer);
        _dc = new TestDataCenter(_ctx.Services.GetRequiredService<DeviceStateStore>(), _ctx.Time);
        _dc.Seed();
    }

    [Fact]
    public void Render_AlertsOnDevicesOfARack_RackColouredByItsWorstOpenAlert()
    {
        // Arrange: a minor on a server and a critical on the sensor of A01; a major on a PDU of A02; nothing in row B.
        _ctx.Alerts.Add(AlertSeverity.Minor, "CPU cao", TestDataCenter.Site, deviceId: "DC-A01-SRV01");
        var critical = _ctx.Alerts.Add(AlertSeverity.Critical, "Khí vào 36 °C", TestDataCenter.Site, deviceId: "DC-A01-ENV");
        _ctx.Alerts.Add(AlertSeverity.Major, "PDU quá tải", TestDataCenter.Site, deviceId: "DC-A02-PDU-A");

        // Act
        var page = _ctx.Render<DataCenter>();

        // Assert
        page.WaitForAssertion(() => Assert.Equal("critical", Rack(page, "A01").GetAttribute("data-severity")));
        Assert.Equal("firing", Rack(page, "A01").GetAttribute("data-alert-state"));
        Assert.Equal($"alerts/{critical.Id}", Rack(page, "A01").QuerySelector("a.ioc-dc-rack-alert")!.GetAttribute("href"));
        Assert.Contains("Khẩn cấp", Rack(page, "A01").TextContent, StringComparison.Ordinal);
        Assert.Equal("major", Rack(page, "A02").GetAttribute("data-severity"));
        Assert.Equal("none", Rack(page, "B01").GetAttribute("data-severity"));
        Assert.Contains("ioc-dc-sev-critical", Rack(page, "A01").ClassName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_WorstAlertAcknowledged_RackKeepsSeverityAndShowsTheState()
    {
        // Arrange
        var alert = _ctx.Alerts.Add(AlertSeverity.Critical, "Khí vào 36 °C", TestDataCenter.Site, deviceId: "DC-B02-ENV");
        var page = _ctx.Render<DataCenter>();
        page.WaitForAssertion(() => Assert.Equal("firing", Rack(page, "B02").GetAttribute("data-alert-state")));

        // Act
        await _ctx.Alerts.AcknowledgeAsync(alert.Id, "op1", null, CancellationToken.None);
        _ctx.FlushLive();

        // Assert
        page.WaitForAssertion(() => Assert.Equal("acknowledged", Rack(page, "B02").GetAttribute("data-alert-state")));
        Assert.Equal("critical", Rack(page, "B02").GetAttribute("data-severity"));
        Assert.Contains("đã xác nhận", Rack(page, "B02").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_CracB1CompressorStops_UnitInRowBShownFailedLive()
    {
        // Arrange
        var page = _ctx.Render<DataCenter>();
        page.WaitForAssertion(() => Assert.Equal("running", Unit(page, "B", "DC-CRAC-B1").GetAttribute("data-state")));

        // Act
        _dc.CracFails("B");
        _ctx.FlushLive();

        // Assert
        page.WaitForAssertion(() => Assert.Equal("failed", Unit(page, "B", "DC-CRAC-B1").GetAttribute("data-state")));
        var crac = Unit(page, "B", "DC-CRAC-B1");
        Assert.Equal("crac", crac.GetAttribute("data-kind"));
        Assert.Contains("ioc-dc-state-failed", crac.ClassName, StringComparison.Ordinal);
        Assert.Contains("Hỏng (máy nén/quạt dừng)", crac.TextContent, StringComparison.Ordinal);
        Assert.Equal("running", Unit(page, "A", "DC-CRAC-A1").GetAttribute("data-state"));
        Assert.Empty(page.FindAll("[data-testid=dc-unplaced]"));
    }

    [Fact]
    public void Render_UpsOnBattery_ShownInItsRowWithChargeAndLoad()
    {
        // Arrange
        _dc.UpsOnBattery(2, 71.4);

        // Act
        var page = _ctx.Render<DataCenter>();

        // Assert
        page.WaitForAssertion(() => Assert.Equal("on-battery", Unit(page, "B", "DC-UPS02").GetAttribute("data-state")));
        var ups = Unit(page, "B", "DC-UPS02");
        Assert.Equal("ups", ups.GetAttribute("data-kind"));
        Assert.Contains("Đang chạy ắc quy", ups.TextContent, StringComparison.Ordinal);
        Assert.Contains("pin 71 %", ups.TextContent, StringComparison.Ordinal);
        Assert.Contains("tải 52 %", ups.TextContent, StringComparison.Ordinal);
        Assert.Equal("running", Unit(page, "A", "DC-UPS01").GetAttribute("data-state"));
        Assert.Contains("Chạy điện lưới", Unit(page, "A", "DC-UPS01").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_UpsBatteryAtWarningLevel_ShownBatteryLow()
    {
        // Arrange: 50 % is DataCenterOptions.UpsBatteryWarnPct.
        _dc.UpsOnBattery(1, 50);

        // Act
        var page = _ctx.Render<DataCenter>();

        // Assert
        page.WaitForAssertion(() => Assert.Equal("battery-low", Unit(page, "A", "DC-UPS01").GetAttribute("data-state")));
    }

    [Fact]
    public void Render_RowBInletsAt35_RacksFilledHotWithTemperatureInTheUsersCulture()
    {
        // Arrange
        _dc.Inlet("B01", 35.4);
        _dc.Inlet("B02", 28.2);

        // Act
        var page = _ctx.Render<DataCenter>();

        // Assert: bands of 18/21/24/27/30/32/35 °C: 35.4 is the top band (7), 28.2 the fifth (4), 23 the third (2).
        page.WaitForAssertion(() => Assert.Equal("35.4", Rack(page, "B01").GetAttribute("data-temp")));
        Assert.Contains("ioc-heat-7", Rack(page, "B01").ClassName, StringComparison.Ordinal);
        Assert.Contains("ioc-heat-4", Rack(page, "B02").ClassName, StringComparison.Ordinal);
        Assert.Contains("ioc-heat-2", Rack(page, "A01").ClassName, StringComparison.Ordinal);
        Assert.Contains("35,4 °C", Rack(page, "B01").TextContent, StringComparison.Ordinal);
        Assert.Contains("≥ 35 °C", page.Find("[data-testid=dc-legend]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_EnglishUser_UnitsAndStatesInEnglish()
    {
        // Arrange
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("en-US");
        _dc.Inlet("B01", 35.4);
        _dc.CracFails("B");

        // Act
        var page = _ctx.Render<DataCenter>();

        // Assert
        page.WaitForAssertion(() => Assert.Contains("35.4 °C", Rack(page, "B01").TextContent, StringComparison.Ordinal));
        Assert.Contains("Failed (compressor/fan stopped)", Unit(page, "B", "DC-CRAC-B1").TextContent, StringComparison.Ordinal);
        Assert.Contains("Row B", page.Find("[data-testid=dc-row][data-row=B]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_OpenDcAlerts_ListedMostSevereFirstWithLinksAndPlaces()
    {
        // Arrange
        var minor = _ctx.Alerts.Add(AlertSeverity.Minor, "CPU cao", TestDataCenter.Site, deviceId: "DC-A01-SRV01");
        var critical = _ctx.Alerts.Add(AlertSeverity.Critical, "Máy nén dừng", TestDataCenter.Site, deviceId: "DC-CRAC-B1");
        var major = _ctx.Alerts.Add(AlertSeverity.Major, "UPS chạy ắc quy", TestDataCenter.Site, deviceId: "DC-UPS02");
        _ctx.Alerts.Add(AlertSeverity.Critical, "Thanh Hà mất kết nối", "thanh-ha");

        // Act
        var page = _ctx.Render<DataCenter>();

        // Assert: only the data center's, by severity; each names its device and place and links to its page.
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=dc-alert]").Count));
        var items = page.FindAll("[data-testid=dc-alert]");
        Assert.Equal([$"alerts/{critical.Id}", $"alerts/{major.Id}", $"alerts/{minor.Id}"], items.Select(i => i.GetAttribute("href")));
        Assert.Contains("DC-CRAC-B1 · Dãy B", items[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("DC-A01-SRV01 · Dãy A · Tủ A01", items[2].TextContent, StringComparison.Ordinal);
        Assert.Equal("3", page.Find("[data-testid=dc-alerts]").GetAttribute("data-count"));
    }

    [Fact]
    public async Task Render_OpenCriticalDcAlert_AvailabilityBelow100AndBackWhenResolved()
    {
        // Arrange
        var page = _ctx.Render<DataCenter>();
        page.WaitForAssertion(() => Assert.Equal("100", page.Find("[data-testid=dc-availability]").GetAttribute("data-percent")));

        // Act: CRAC-B1 fails with its critical alert (1 of 20 devices).
        var alert = _ctx.Alerts.Add(AlertSeverity.Critical, "Máy nén dừng", TestDataCenter.Site, deviceId: "DC-CRAC-B1");
        _ctx.FlushLive();

        // Assert
        page.WaitForAssertion(() => Assert.Equal("95", page.Find("[data-testid=dc-availability]").GetAttribute("data-percent")));
        Assert.Contains("95,0 %", page.Find("[data-testid=dc-availability]").TextContent, StringComparison.Ordinal);
        Assert.Contains("ioc-tile-bad", page.Find("[data-testid=dc-availability]").ClassName, StringComparison.Ordinal);

        // Act: resolved.
        await _ctx.Alerts.ResolveAsync(alert.Id, "op1", null, CancellationToken.None);
        _ctx.FlushLive();

        // Assert
        page.WaitForAssertion(() => Assert.Equal("100", page.Find("[data-testid=dc-availability]").GetAttribute("data-percent")));
    }

    [Fact]
    public async Task SlowFigures_OpenCriticalDcAlert_WallScreenAvailabilityBelow100()
    {
        // Arrange
        var overview = _ctx.Services.GetRequiredService<OverviewService>();
        Assert.Equal(100, (await overview.SlowFiguresAsync(CancellationToken.None)).DataCenterAvailability);

        // Act: a critical alert and a device gone offline.
        _ctx.Alerts.Add(AlertSeverity.Critical, "Máy nén dừng", TestDataCenter.Site, deviceId: "DC-CRAC-B1");
        _dc.Offline(TestDataCenter.Server("A01", 1));

        // Assert: 18 of 20, not cached away.
        Assert.Equal(90, (await overview.SlowFiguresAsync(CancellationToken.None)).DataCenterAvailability);
    }

    [Fact]
    public async Task Render_WithoutAlertEngine_PlanDrawnAndSaysAlertsUnknown()
    {
        // Arrange
        await using var ctx = new DashboardTestContext(withAlertEngine: false);
        ctx.SignInAs("it1", Roles.Viewer);
        new TestDataCenter(ctx.Services.GetRequiredService<DeviceStateStore>(), ctx.Time).Seed();

        // Act
        var page = ctx.Render<DataCenter>();

        // Assert
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=dc-row]").Count));
        Assert.NotNull(page.Find("[data-testid=dc-alerts-engine-missing]"));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _ctx.DisposeAsync();

    private static AngleSharp.Dom.IElement Rack(IRenderedComponent<DataCenter> page, string rack) =>
        page.Find($"[data-testid=dc-rack][data-rack={rack}]");

    private static AngleSharp.Dom.IElement Unit(IRenderedComponent<DataCenter> page, string row, string id) =>
        page.Find($"[data-testid=dc-row][data-row={row}] [data-testid=dc-unit][data-unit-id={id}]");
}
