using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.Extensions.Localization;

namespace Ioc.Dashboard.Reports;

/// <summary>
/// The monthly report as one self-contained, printable HTML document (A4, inline CSS, no script, no external resource):
/// what headless Chromium prints to PDF. Page numbers and the running title are CSS page-margin boxes, so no
/// browser header or footer is needed. Fonts: DejaVu Sans / Noto Sans (Vietnamese diacritics), then the system's sans.
/// </summary>
public sealed class ReportDocument(IStringLocalizer<ReportText> text, Vocabulary words, DashboardClock clock)
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    public string Render(MonthlyReport report)
    {
        var culture = CultureInfo.GetCultureInfo(report.Culture);
        using var scope = CultureScope.Use(culture);
        var month = report.Month.Display(culture);
        var title = $"{text["Title"]} {month}";
        var province = string.Format(culture, text["Province"], report.Province);
        var html = new StringBuilder(32 * 1024);
        html.Append(CultureInfo.InvariantCulture, $$"""
            <!DOCTYPE html>
            <html lang="{{culture.TwoLetterISOLanguageName}}">
            <head>
            <meta charset="utf-8">
            <title>{{E(title)}} · {{E(province)}}</title>
            <style>
            @page { size: A4; margin: 16mm 14mm 18mm 14mm;
              @top-left { content: "{{Css(province)}}"; font: 8pt "DejaVu Sans", "Noto Sans", sans-serif; color: #555; }
              @top-right { content: "{{Css(title)}}"; font: 8pt "DejaVu Sans", "Noto Sans", sans-serif; color: #555; }
              @bottom-right { content: "{{Css(text["Page"])}} " counter(page) " {{Css(text["Of"])}} " counter(pages); font: 8pt "DejaVu Sans", "Noto Sans", sans-serif; color: #555; }
              @bottom-left { content: "{{Css(string.Format(culture, text["Generated"], clock.Format(report.GeneratedAt, "g")))}}"; font: 8pt "DejaVu Sans", "Noto Sans", sans-serif; color: #555; }
            }
            * { box-sizing: border-box; }
            body { font-family: "DejaVu Sans", "Noto Sans", "Liberation Sans", Arial, sans-serif; font-size: 9pt; color: #1b1b1b; margin: 0; }
            h1 { font-size: 17pt; margin: 0 0 2mm; color: #1F4E79; }
            h2 { font-size: 11.5pt; margin: 6mm 0 2mm; color: #1F4E79; border-bottom: 0.4mm solid #1F4E79; padding-bottom: 1mm; break-after: avoid; }
            .period { font-size: 10pt; margin: 0 0 4mm; color: #333; }
            .partial { display: inline-block; margin-top: 1.5mm; background: #FFF4CE; border: 0.3mm solid #C9A227; padding: 0.5mm 2mm; border-radius: 1mm; }
            .summary { font-size: 10pt; line-height: 1.45; background: #F3F6FA; border-left: 1.2mm solid #1F4E79; padding: 3mm 4mm; margin: 0 0 4mm; }
            .tiles { display: flex; gap: 3mm; margin: 0 0 2mm; }
            .tile { flex: 1; border: 0.3mm solid #ccd; border-radius: 1.5mm; padding: 2mm 3mm; }
            .tile .label { font-size: 7.5pt; color: #555; }
            .tile .value { font-size: 12pt; font-weight: bold; margin-top: 1mm; white-space: nowrap; }
            .keep { break-inside: avoid; }
            table.fixed { table-layout: fixed; }
            td.nowrap { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
            .good { color: #1E7B34; }
            .bad { color: #B3261E; }
            table { width: 100%; border-collapse: collapse; margin: 0 0 2mm; page-break-inside: auto; }
            thead { display: table-header-group; }
            tr { break-inside: avoid; }
            th { background: #1F4E79; color: #fff; font-weight: bold; text-align: left; padding: 1.2mm 1.5mm; font-size: 8pt; }
            td { padding: 1mm 1.5mm; border-bottom: 0.2mm solid #dde; font-size: 8.5pt; }
            td.num { text-align: right; white-space: nowrap; }
            th.num { text-align: right; }
            tbody tr:nth-child(even) td { background: #F7F9FC; }
            .note { color: #555; font-style: italic; }
            </style>
            </head>
            <body>
            <h1>{{E(text["Title"])}} · {{E(province)}}</h1>
            <p class="period">{{E(text["MonthLabel"])}} {{E(month)}} ({{E(clock.Format(report.From, "d"))}} – {{E(clock.Format(report.To.AddSeconds(-1), "d"))}})
            """);
        if (report.Partial)
        {
            html.Append(CultureInfo.InvariantCulture, $"""<br><span class="partial">{E(string.Format(culture, text["Partial"], clock.Format(report.To, "g")))}</span>""");
        }

        html.Append("</p>\n");
        html.Append(CultureInfo.InvariantCulture, $"<h2>{E(text["SummaryHeading"])}</h2>\n<p class=\"summary\">{E(report.Summary)}</p>\n");
        if (!report.HasData)
        {
            html.Append("</body>\n</html>\n");
            return html.ToString();
        }

        var overallClass = report.Overall.Met switch { true => "good", false => "bad", _ => string.Empty };
        html.Append("<div class=\"tiles\">");
        Tile(html, text["Key_Availability"], report.Overall.Percent is { } p ? MonthlyReportService.Percent(p, culture) + " %" : "—", overallClass);
        Tile(html, text["Col_Target"], MonthlyReportService.Percent(report.Target, culture) + " %", string.Empty);
        Tile(html, text["Key_Incidents"], report.IncidentTotals.Count.ToString("N0", culture), string.Empty);
        Tile(html, text["Col_Mtta"], Dur(report.IncidentTotals.Mtta), string.Empty);
        Tile(html, text["Col_Mttr"], Dur(report.IncidentTotals.Mttr), string.Empty);
        Tile(html, text["Key_Security"], report.SecurityTotal.ToString("N0", culture), string.Empty);
        html.Append("</div>\n");

        html.Append(CultureInfo.InvariantCulture, $"<div class=\"{Keep(report.Districts.Count)}\"><h2>{E(text["Section_Districts"])}</h2>\n");
        AvailabilityTable(html, report.Districts, text["Col_District"], culture);
        html.Append(CultureInfo.InvariantCulture, $"</div>\n<div class=\"{Keep(report.DeviceTypes.Count)}\"><h2>{E(text["Section_DeviceTypes"])}</h2>\n");
        AvailabilityTable(html, report.DeviceTypes, text["Col_DeviceType"], culture);
        html.Append("</div>\n");

        html.Append(CultureInfo.InvariantCulture, $"<div class=\"keep\"><h2>{E(text["Section_Incidents"])}</h2>\n<table><thead><tr><th>{E(text["Col_Severity"])}</th><th class=\"num\">{E(text["Col_Count"])}</th><th class=\"num\">{E(text["Col_Open"])}</th><th class=\"num\">{E(text["Col_Mtta"])}</th><th class=\"num\">{E(text["Col_Mttr"])}</th></tr></thead><tbody>\n");
        foreach (var s in report.IncidentsBySeverity.Where(s => s.Count > 0).Append(report.IncidentTotals))
        {
            var name = s.Severity is { } sev ? words.Severity(sev) : text["AllSeverities"].Value;
            var bold = s.Severity is null ? " style=\"font-weight:bold\"" : string.Empty;
            html.Append(CultureInfo.InvariantCulture, $"<tr{bold}><td>{E(name)}</td><td class=\"num\">{s.Count.ToString(culture)}</td><td class=\"num\">{s.Open.ToString(culture)}</td><td class=\"num\">{E(Dur(s.Mtta))}</td><td class=\"num\">{E(Dur(s.Mttr))}</td></tr>\n");
        }

        html.Append("</tbody></table></div>\n");

        OffenderTable(html, text["Section_TopDowntime"], report.TopByDowntime, culture);
        OffenderTable(html, text["Section_TopAlerts"], report.TopByAlerts, culture);

        html.Append(CultureInfo.InvariantCulture, $"<div class=\"keep\"><h2>{E(text["Section_Security"])}</h2>\n<table><thead><tr><th>{E(text["Col_EventType"])}</th><th class=\"num\">{E(text["Col_Count"])}</th></tr></thead><tbody>\n");
        foreach (var s in report.Security)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(s.Name)}</td><td class=\"num\">{s.Count.ToString("N0", culture)}</td></tr>\n");
        }

        html.Append(CultureInfo.InvariantCulture, $"<tr style=\"font-weight:bold\"><td>{E(text["Total"])}</td><td class=\"num\">{report.SecurityTotal.ToString("N0", culture)}</td></tr>\n</tbody></table></div>\n");

        html.Append(CultureInfo.InvariantCulture, $"<h2>{E(text["Section_Sites"])}</h2>\n");
        var below = report.Sites.Where(s => s.Met == false).ToList();
        if (below.Count == 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"note\">{E(text["Section_SitesAllMet"])}</p>\n");
        }
        else
        {
            AvailabilityTable(html, below, text["Col_Site"], culture);
        }

        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void Tile(StringBuilder html, string label, string value, string cssClass) =>
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"tile\"><div class=\"label\">{E(label)}</div><div class=\"value {cssClass}\">{E(value)}</div></div>");

    private void AvailabilityTable(StringBuilder html, IReadOnlyList<AvailabilityRow> rows, string nameHeader, CultureInfo culture)
    {
        if (rows.Count == 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"note\">{E(text["None"])}</p>\n");
            return;
        }

        html.Append(CultureInfo.InvariantCulture, $"<table class=\"fixed\"><colgroup><col style=\"width:25%\"><col style=\"width:9%\"><col style=\"width:12%\"><col style=\"width:11%\"><col style=\"width:14%\"><col style=\"width:15%\"><col style=\"width:14%\"></colgroup><thead><tr><th>{E(nameHeader)}</th><th class=\"num\">{E(text["Col_Devices"])}</th><th class=\"num\">{E(text["Col_Availability"])}</th><th>{E(text["Col_Met"])}</th><th class=\"num\">{E(text["Col_Downtime"])}</th><th class=\"num\">{E(text["Col_Allowed"])}</th><th class=\"num\">{E(text["Col_Outages"])}</th></tr></thead><tbody>\n");
        foreach (var row in rows)
        {
            var pct = row.Percent is { } p ? MonthlyReportService.Percent(p, culture) + " %" : "—";
            var met = row.Met switch { true => text["Yes"].Value, false => text["No"].Value, _ => "—" };
            var cls = row.Met switch { true => "good", false => "bad", _ => string.Empty };
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(row.Name)}</td><td class=\"num\">{row.Devices.ToString(culture)}</td><td class=\"num {cls}\">{E(pct)}</td><td class=\"{cls}\">{E(met)}</td><td class=\"num\">{E(words.Duration(row.Downtime))}</td><td class=\"num\">{E(words.Duration(row.AllowedDowntime))}</td><td class=\"num\">{row.Outages.ToString(culture)}</td></tr>\n");
        }

        html.Append("</tbody></table>\n");
    }

    private void OffenderTable(StringBuilder html, string heading, IReadOnlyList<Offender> rows, CultureInfo culture)
    {
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"keep\"><h2>{E(heading)}</h2>\n");
        if (rows.Count == 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"note\">{E(text["None"])}</p></div>\n");
            return;
        }

        html.Append(CultureInfo.InvariantCulture, $"<table class=\"fixed\"><colgroup><col style=\"width:5%\"><col style=\"width:16%\"><col style=\"width:17%\"><col style=\"width:26%\"><col style=\"width:14%\"><col style=\"width:11%\"><col style=\"width:11%\"></colgroup><thead><tr><th class=\"num\">{E(text["Col_Rank"])}</th><th>{E(text["Col_Device"])}</th><th>{E(text["Col_DeviceType"])}</th><th>{E(text["Col_Site"])}</th><th class=\"num\">{E(text["Col_Downtime"])}</th><th class=\"num\">{E(text["Col_Outages"])}</th><th class=\"num\">{E(text["Col_Alerts"])}</th></tr></thead><tbody>\n");
        var rank = 1;
        foreach (var o in rows)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"num\">{(rank++).ToString(culture)}</td><td class=\"nowrap\">{E(o.Device)}</td><td>{E(words.DeviceType(o.DeviceType))}</td><td>{E(o.SiteName)}</td><td class=\"num\">{E(words.Duration(o.Downtime))}</td><td class=\"num\">{o.Outages.ToString(culture)}</td><td class=\"num\">{o.Alerts.ToString(culture)}</td></tr>\n");
        }

        html.Append("</tbody></table></div>\n");
    }

    /// <summary>Short tables stay on one page with their heading; long ones flow (their header row repeats).</summary>
    private static string Keep(int rows) => rows <= 25 ? "keep" : "flow";

    private string Dur(TimeSpan? span) => span is { } s ? words.Duration(s) : "—";

    private static string E(string value) => Html.Encode(value);

    /// <summary>Text inside a CSS string literal.</summary>
    private static string Css(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).ReplaceLineEndings(" ");
}
