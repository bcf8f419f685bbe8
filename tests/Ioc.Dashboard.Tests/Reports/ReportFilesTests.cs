using System.Diagnostics;
using System.Globalization;
using ClosedXML.Excel;
using Ioc.Dashboard.Reports;
using Ioc.Dashboard.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using static Ioc.Dashboard.Tests.Shared.TestReportData;

namespace Ioc.Dashboard.Tests.Reports;

/// <summary>The workbook read back with ClosedXML, and the PDF printed by the machine's Chromium and read back with poppler's pdftotext.</summary>
public sealed class ReportFilesTests : SeededReportTests
{
    private ReportFiles Files => Context.Services.GetRequiredService<ReportFiles>();

    [Fact]
    public async Task Xlsx_DemoOctober_SheetsAndFiguresEqualTheModel()
    {
        // Arrange
        var report = await Files.BuildAsync(October, Vi, CancellationToken.None);

        // Act
        var file = await Files.RenderAsync(report, ReportFormat.Xlsx, CancellationToken.None);

        // Assert
        Assert.Equal("bao-cao-thang-2026-10.xlsx", file.FileName);
        using var workbook = new XLWorkbook(new MemoryStream(file.Content));
        Assert.Equal(["Tóm tắt", "Huyện", "Điểm", "Loại thiết bị", "Sự cố", "Thiết bị kém nhất", "Sự kiện an ninh"], workbook.Worksheets.Select(w => w.Name));
        Assert.Equal(workbook.Worksheets.Select(w => w.Name), Context.Services.GetRequiredService<ReportWorkbook>().SheetNames("vi-VN"));

        var districts = workbook.Worksheet("Huyện");
        Assert.Equal("Huyện", districts.Cell(1, 1).GetString());
        Assert.Equal("Độ sẵn sàng", districts.Cell(1, 3).GetString());
        Assert.True(districts.Cell(1, 1).Style.Font.Bold);
        Assert.Equal(1, districts.SheetView.SplitRow);
        for (var i = 0; i < report.Districts.Count; i++)
        {
            var row = report.Districts[i];
            Assert.Equal(row.Name, districts.Cell(i + 2, 1).GetString());
            Assert.Equal(row.Devices, districts.Cell(i + 2, 2).GetValue<int>());
            Assert.Equal(row.Percent!.Value / 100, districts.Cell(i + 2, 3).GetDouble(), 12);
            Assert.Equal(ReportWorkbook.PercentFormat, districts.Cell(i + 2, 3).Style.NumberFormat.Format);
            Assert.Equal(row.Downtime.TotalDays, Days(districts.Cell(i + 2, 7)), 9);
            Assert.Equal(ReportWorkbook.DurationFormat, districts.Cell(i + 2, 7).Style.NumberFormat.Format);
            Assert.Equal(row.AllowedDowntime.TotalDays, Days(districts.Cell(i + 2, 8)), 9);
            Assert.Equal(row.Met == true ? "Đạt" : "Không đạt", districts.Cell(i + 2, 5).GetString());
        }

        Assert.Equal(report.Sites.Count + 1, workbook.Worksheet("Điểm").LastRowUsed()!.RowNumber());
        Assert.Equal(report.DeviceTypes.Count + 1, workbook.Worksheet("Loại thiết bị").LastRowUsed()!.RowNumber());

        var summary = workbook.Worksheet("Tóm tắt");
        Assert.Equal(report.Summary, summary.Cell(2, 1).GetString());
        Assert.Equal(report.Overall.Percent!.Value / 100, summary.Cell(7, 2).GetDouble(), 12);
        Assert.Equal(report.IncidentTotals.Count, summary.Cell(13, 2).GetValue<int>());
        Assert.Equal(report.IncidentTotals.Mtta!.Value.TotalDays, Days(summary.Cell(14, 2)), 9);
        Assert.Equal(report.SecurityTotal, summary.Cell(16, 2).GetValue<long>());

        var incidents = workbook.Worksheet("Sự cố");
        var total = incidents.Row(report.IncidentsBySeverity.Count + 2);
        Assert.Equal("Tất cả", total.Cell(1).GetString());
        Assert.Equal(report.IncidentTotals.Count, total.Cell(2).GetValue<int>());
        Assert.Equal(report.IncidentTotals.Mttr!.Value.TotalDays, Days(total.Cell(7)), 9);
        Assert.Equal(report.Incidents.Select(a => (double)a.Id), Enumerable.Range(report.IncidentsBySeverity.Count + 5, report.Incidents.Count).Select(r => incidents.Cell(r, 1).GetDouble()));

        var offenders = workbook.Worksheet("Thiết bị kém nhất");
        Assert.Equal("TH-AP-01", offenders.Cell(3, 2).GetString());
        Assert.Equal(TimeSpan.FromHours(2).TotalDays, Days(offenders.Cell(3, 5)), 9);

        var security = workbook.Worksheet("Sự kiện an ninh");
        Assert.Equal(report.Security.Select(s => s.Count), Enumerable.Range(2, report.Security.Count).Select(r => security.Cell(r, 3).GetValue<long>()));
        Assert.Equal("Đăng nhập thất bại", security.Cell(2, 1).GetString());
    }

    [Fact]
    public async Task Xlsx_TextThatLooksLikeAFormulaOrADate_IsWrittenAsText()
    {
        // Arrange: alert texts come from devices (a syslog line, a device's own name); a spreadsheet must not run them.
        const string formula = "=HYPERLINK(\"http://attacker.example/\",\"xem\")";
        var at = new DateTimeOffset(2026, 10, 12, 9, 0, 0, TimeSpan.FromHours(7));
        Context.Alerts.Put(new Ioc.Contract.Alerts.Alert
        {
            Id = 0, RuleId = "brute-force", RuleName = "brute-force", Kind = "event-count", SubjectKey = "device:x/firewall/1-2",
            Subject = formula, Severity = Ioc.Contract.Alerts.AlertSeverity.Major, State = Ioc.Contract.Alerts.AlertState.Resolved,
            District = "gia-loc", Summary = "+cmd|' /C calc'!A0", FiredAt = at, LastFiredAt = at, UpdatedAt = at, ResolvedAt = at.AddMinutes(5),
        });
        var report = await Files.BuildAsync(October, Vi, CancellationToken.None);

        // Act
        var file = await Files.RenderAsync(report, ReportFormat.Xlsx, CancellationToken.None);

        // Assert
        using var workbook = new XLWorkbook(new MemoryStream(file.Content));
        var cells = workbook.Worksheet("Sự cố").CellsUsed().Where(c => c.GetString() == formula || c.GetString().StartsWith("+cmd", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, cells.Count);
        Assert.All(cells, c =>
        {
            Assert.False(c.HasFormula);
            Assert.Equal(XLDataType.Text, c.DataType);
        });
    }

    [Fact]
    public async Task Json_DemoOctober_TheModelWithTheMonthAsText()
    {
        // Arrange
        var report = await Files.BuildAsync(October, Vi, CancellationToken.None);

        // Act
        var file = await Files.RenderAsync(report, ReportFormat.Json, CancellationToken.None);

        // Assert
        using var json = System.Text.Json.JsonDocument.Parse(file.Content);
        Assert.Equal("2026-10", json.RootElement.GetProperty("month").GetString());
        Assert.Equal(report.Overall.Percent!.Value, json.RootElement.GetProperty("overall").GetProperty("percent").GetDouble(), 9);
        Assert.Equal(2, json.RootElement.GetProperty("incidents").GetArrayLength());
        Assert.Equal(report.Summary, json.RootElement.GetProperty("summary").GetString());
    }

    [Fact]
    public async Task Xlsx_English_HeadersInEnglish()
    {
        // Arrange
        var report = await Files.BuildAsync(October, En, CancellationToken.None);

        // Act
        var file = await Files.RenderAsync(report, ReportFormat.Xlsx, CancellationToken.None);

        // Assert
        using var workbook = new XLWorkbook(new MemoryStream(file.Content));
        Assert.Equal(["Summary", "Districts", "Sites", "Device types", "Incidents", "Top offenders", "Security events"], workbook.Worksheets.Select(w => w.Name));
        Assert.Equal("Availability", workbook.Worksheet("Districts").Cell(1, 3).GetString());
        Assert.Equal("monthly-report-2026-10.xlsx", file.FileName);
    }

    [Fact]
    public async Task Pdf_DemoOctober_PrintedWithVietnameseTitleAndPageNumbers()
    {
        // Arrange
        var report = await Files.BuildAsync(October, Vi, CancellationToken.None);

        // Act
        var file = await Files.RenderAsync(report, ReportFormat.Pdf, CancellationToken.None);

        // Assert
        Assert.Equal("application/pdf", file.ContentType);
        Assert.Equal("%PDF"u8.ToArray(), file.Content[..4]);
        var text = await PdfTextAsync(file.Content, "vi");
        Assert.Contains("Báo cáo vận hành tháng · Tỉnh Hải Dương", text);
        Assert.Contains("Trang 1 / ", text);
        Assert.Contains("thiết bị toàn tỉnh sẵn sàng 99,910 %", text);
        Assert.Contains("TH-AP-01", text);
        Assert.Contains("Đăng nhập thất bại", text);
    }

    [Fact]
    public async Task Pdf_English_PrintedInEnglish()
    {
        // Arrange
        var report = await Files.BuildAsync(October, En, CancellationToken.None);

        // Act
        var file = await Files.RenderAsync(report, ReportFormat.Pdf, CancellationToken.None);

        // Assert
        var text = await PdfTextAsync(file.Content, "en");
        Assert.Contains("Monthly operations report · Hai Duong Province", text);
        Assert.Contains("Page 1 of ", text);
    }

    [Fact]
    public async Task Pdf_NoChromium_RefusedWithTheFix()
    {
        // Arrange
        await using var ctx = new DashboardTestContext();
        AddReports(ctx, chromium: "/nonexistent/chromium");
        var files = ctx.Services.GetRequiredService<ReportFiles>();
        var report = await files.BuildAsync(October, Vi, CancellationToken.None);

        // Act
        var error = await Assert.ThrowsAsync<ReportPdfUnavailableException>(() => files.RenderAsync(report, ReportFormat.Pdf, CancellationToken.None));

        // Assert
        Assert.Contains("apt-get install chromium", error.Message);
    }

    /// <summary>A duration cell's number of days (ClosedXML reads a cell with a time format back as a TimeSpan).</summary>
    private static double Days(IXLCell cell) => cell.DataType switch
    {
        XLDataType.TimeSpan => cell.GetTimeSpan().TotalDays,
        XLDataType.DateTime => cell.GetDateTime().ToOADate(),
        _ => cell.GetDouble(),
    };

    /// <summary>
    /// The PDF's text by pdftotext (whitespace runs made one space); the PDF is also kept under the temp folder (ioc-report-artifacts) for a look with pdftoppm.
    /// </summary>
    private static async Task<string> PdfTextAsync(byte[] pdf, string language)
    {
        var dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "ioc-report-artifacts")).FullName;
        var path = Path.Combine(dir, $"monthly-report-{language}.pdf");
        await File.WriteAllBytesAsync(path, pdf);
        var start = new ProcessStartInfo("pdftotext") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-enc");
        start.ArgumentList.Add("UTF-8");
        start.ArgumentList.Add(path);
        start.ArgumentList.Add("-");
        using var process = Process.Start(start)!;
        var text = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        return System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ");
    }
}
