using System.Globalization;
using Ioc.Dashboard.Configuration;
using Ioc.Dashboard.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Ioc.Dashboard.Reports;

public enum ReportFormat
{
    Json,
    Xlsx,
    Pdf,
}

/// <summary>One rendered report file.</summary>
public sealed record ReportFile(byte[] Content, string ContentType, string FileName);

/// <summary>Builds a month's report and renders it as JSON, XLSX or PDF (the downloads, the API and the e-mail share it).</summary>
public sealed class ReportFiles(MonthlyReportService reports, ReportWorkbook workbook, ReportDocument document, ReportPdfPrinter printer)
{
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static bool TryFormat(string? text, out ReportFormat format) => Enum.TryParse(text ?? "json", ignoreCase: true, out format) && Enum.IsDefined(format);

    public Task<MonthlyReport> BuildAsync(ReportMonth month, CultureInfo culture, CancellationToken cancellationToken) =>
        reports.BuildAsync(month, culture, cancellationToken);

    public async Task<ReportFile> RenderAsync(MonthlyReport report, ReportFormat format, CancellationToken cancellationToken)
    {
        var name = (report.Culture.StartsWith("vi", StringComparison.Ordinal) ? "bao-cao-thang-" : "monthly-report-") + report.Month;
        return format switch
        {
            ReportFormat.Xlsx => new ReportFile(workbook.Render(report), XlsxType, name + ".xlsx"),
            ReportFormat.Pdf => new ReportFile(await printer.PrintAsync(document.Render(report), cancellationToken), "application/pdf", name + ".pdf"),
            _ => new ReportFile(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(report, ApiJson), "application/json; charset=utf-8", name + ".json"),
        };
    }

    private static readonly System.Text.Json.JsonSerializerOptions ApiJson = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase) },
    };
}

/// <summary>
/// Downloads of the monthly report: <c>/reports/monthly/{yyyy-MM}.xlsx|.pdf</c> for a logged-in user (in the UI
/// language), and <c>GET /api/v1/reports/monthly/{yyyy-MM}?format=json|xlsx|pdf&amp;lang=vi|en</c> with an API token.
/// Every download is audited. A month after the current one is refused; the current one is a partial report.
/// </summary>
public static class ReportEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/reports/monthly/{month}.{format}", (string month, string format, HttpContext http, ReportFiles files, DashboardClock clock, AuditLog audit) =>
            DownloadAsync(month, format, CultureInfo.CurrentUICulture, http, files, clock, audit, "reports"));
    }

    /// <summary>The API's handler (mapped in the <c>/api/v1</c> group, so token auth and rate limits apply).</summary>
    public static Task<IResult> ApiAsync(string month, string? format, string? lang, HttpContext http, ReportFiles files, DashboardClock clock, AuditLog audit, IOptions<DashboardOptions> options)
    {
        var culture = lang switch
        {
            null or "" => CultureInfo.GetCultureInfo(options.Value.DefaultCulture),
            "vi" or "vi-VN" => CultureInfo.GetCultureInfo("vi-VN"),
            "en" or "en-US" => CultureInfo.GetCultureInfo("en-US"),
            _ => null,
        };
        return culture is null
            ? Task.FromResult(Results.BadRequest(new { error = "invalid", message = "lang is vi or en" }))
            : DownloadAsync(month, format ?? "json", culture, http, files, clock, audit, "api/reports");
    }

    private static async Task<IResult> DownloadAsync(string month, string format, CultureInfo culture, HttpContext http, ReportFiles files, DashboardClock clock, AuditLog audit, string target)
    {
        if (!ReportMonth.TryParse(month, out var m) || !ReportFiles.TryFormat(format, out var f))
        {
            return Results.BadRequest(new { error = "invalid", message = "month is yyyy-MM; format is json, xlsx or pdf" });
        }

        if (m.CompareTo(ReportMonth.Of(clock.Now)) > 0)
        {
            return Results.BadRequest(new { error = "invalid", message = $"{m} has not begun" });
        }

        var report = await files.BuildAsync(m, culture, http.RequestAborted);
        ReportFile file;
        try
        {
            file = await files.RenderAsync(report, f, http.RequestAborted);
        }
        catch (ReportPdfUnavailableException ex)
        {
            return Results.Problem(ex.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "pdf unavailable");
        }

        await audit.WriteAsync(http.User.Identity?.Name ?? "?", "export", $"{target}/monthly/{m}.{f.ToString().ToLowerInvariant()}", culture.Name, true, http.RequestAborted);
        return f == ReportFormat.Json
            ? Results.Bytes(file.Content, file.ContentType)
            : Results.File(file.Content, file.ContentType, file.FileName);
    }
}
