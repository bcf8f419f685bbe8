using System.Globalization;
using Bunit;
using Ioc.Dashboard.Security;
using Ioc.Dashboard.Tests.Shared;
using Xunit;
using static Ioc.Dashboard.Tests.Shared.TestReportData;
using ReportsPage = Ioc.Dashboard.Components.Pages.Reports;

namespace Ioc.Dashboard.Tests.Components;

/// <summary>The /reports page's default month: the last full month, or this month to date when that one is empty (a fresh install).</summary>
public sealed class ReportsPageTests : IAsyncLifetime
{
    private readonly DashboardTestContext _ctx = new();

    public ReportsPageTests()
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("vi-VN");
        AddReports(_ctx);
        _ctx.SignInAs("viewer1", Roles.Viewer);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _ctx.DisposeAsync();

    [Fact]
    public async Task Render_FreshInstall_DefaultsToThisMonthToDateAndSaysWhichPeriod()
    {
        // Arrange: data only from 20/11 (the clock is 24/11): October, the last full month, has none.
        await SeedCurrentMonthOnlyAsync(_ctx);

        // Act
        var page = _ctx.Render<ReportsPage>();

        // Assert
        page.WaitForAssertion(() => Assert.Equal("Tháng 10/2026 chưa có dữ liệu (hệ thống mới cài đặt?): đang hiển thị tháng này đến hôm nay.", page.Find("[data-testid=report-fallback]").TextContent.Trim()));
        var period = page.Find("[data-testid=report-period]").TextContent;
        Assert.Contains("Tháng này (đến hôm nay) · 11/2026", period, StringComparison.Ordinal);
        Assert.Contains("01/11/2026", period, StringComparison.Ordinal);
        Assert.NotEmpty(page.FindAll("[data-testid=report-partial]"));
        Assert.Empty(page.FindAll("[data-testid=report-nodata]"));
        Assert.EndsWith("reports/monthly/2026-11.xlsx", page.Find("[data-testid=report-xlsx]").GetAttribute("href"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_LastFullMonthHasData_DefaultsToItWithoutTheFallbackNote()
    {
        await SeedAsync(_ctx);

        var page = _ctx.Render<ReportsPage>();

        page.WaitForAssertion(() => Assert.Contains("10/2026", page.Find("[data-testid=report-period]").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=report-fallback]"));
        Assert.Empty(page.FindAll("[data-testid=report-partial]"));
        Assert.EndsWith("reports/monthly/2026-10.xlsx", page.Find("[data-testid=report-xlsx]").GetAttribute("href"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_FreshInstallInEnglish_ThisMonthToDateLabel()
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("en-US");
        await SeedCurrentMonthOnlyAsync(_ctx);

        var page = _ctx.Render<ReportsPage>();

        page.WaitForAssertion(() => Assert.Equal("October 2026 has no data yet (a fresh install?): showing this month to date.", page.Find("[data-testid=report-fallback]").TextContent.Trim()));
        Assert.Contains("This month (to date) · November 2026", page.Find("[data-testid=report-period]").TextContent, StringComparison.Ordinal);
    }
}
