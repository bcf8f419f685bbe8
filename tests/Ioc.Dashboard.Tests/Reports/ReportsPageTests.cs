using System.Globalization;
using Bunit;
using Ioc.Dashboard.Security;
using Ioc.Dashboard.Tests.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using ReportsPage = Ioc.Dashboard.Components.Pages.Reports;

namespace Ioc.Dashboard.Tests.Reports;

public sealed class ReportsPageTests : SeededReportTests
{
    public ReportsPageTests()
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("vi-VN");
        Context.SignInAs("lanhdao", Roles.Viewer);
    }

    [Fact]
    public void Render_NoMonthGiven_LastFullMonthWithSummaryTablesAndDownloads()
    {
        // Act
        var page = Context.Render<ReportsPage>();

        // Assert
        page.WaitForAssertion(() => Assert.Contains("Trong tháng 10/2026, thiết bị toàn tỉnh sẵn sàng 99,910 %", page.Find("[data-testid=report-summary]").TextContent, StringComparison.Ordinal));
        Assert.Equal("99,910", page.Find("[data-testid=report-availability-value]").TextContent);
        var districts = page.FindAll("[data-testid=report-districts] tbody tr");
        Assert.Equal(["Thanh Hà", "Gia Lộc"], districts.Select(r => r.Children[0].TextContent));
        Assert.Equal("99,731 %", districts[0].Children[2].TextContent);
        Assert.Equal("reports/monthly/2026-10.xlsx", page.Find("[data-testid=report-xlsx]").GetAttribute("href"));
        Assert.Equal("reports/monthly/2026-10.pdf", page.Find("[data-testid=report-pdf]").GetAttribute("href"));
        Assert.Equal("TH-AP-01", page.Find("[data-testid=report-top-downtime] tbody tr td").TextContent);
        Assert.Empty(page.FindAll("[data-testid=report-partial]"));
    }

    [Fact]
    public void Render_MonthWithoutData_SaysSo()
    {
        // Arrange
        Context.Services.GetRequiredService<NavigationManager>().NavigateTo("reports?month=2026-06");

        // Act
        var page = Context.Render<ReportsPage>();

        // Assert
        page.WaitForAssertion(() => Assert.Contains("Không có dữ liệu cho tháng 06/2026", page.Find("[data-testid=report-nodata]").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=report-availability]"));
        Assert.DoesNotContain("NaN", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_CurrentMonth_LabelledPartial()
    {
        // Arrange
        Context.Services.GetRequiredService<NavigationManager>().NavigateTo("reports?month=2026-11");

        // Act
        var page = Context.Render<ReportsPage>();

        // Assert
        page.WaitForAssertion(() => Assert.Contains("chưa đủ tháng, đến 24/11/2026 10:00", page.Find("[data-testid=report-partial]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Render_NoChromium_PdfButtonDisabled()
    {
        // Arrange
        await using var ctx = new DashboardTestContext();
        ctx.SignInAs("lanhdao", Roles.Viewer);
        TestReportData.AddReports(ctx, chromium: "/nonexistent/chromium");

        // Act
        var page = ctx.Render<ReportsPage>();

        // Assert
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=report-pdf-disabled]")));
        Assert.Empty(page.FindAll("[data-testid=report-pdf]"));
        Assert.NotEmpty(page.FindAll("[data-testid=report-xlsx]"));
    }
}
