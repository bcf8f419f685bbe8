using System.Globalization;
using ClosedXML.Excel;
using Ioc.Contract.Alerts;
using Microsoft.Extensions.Localization;

namespace Ioc.Dashboard.Reports;

/// <summary>
/// The monthly report as an XLSX workbook (ClosedXML): sheets Summary, Districts, Sites, Device types, Incidents, Top
/// offenders and Security events, with a styled, frozen header row, percentages with three decimals and durations as
/// Excel times ([h]:mm:ss), headers in the report's language.
/// </summary>
public sealed class ReportWorkbook(IStringLocalizer<ReportText> text, Vocabulary words, DashboardClock clock)
{
    public const string PercentFormat = "0.000%";
    public const string DurationFormat = "[h]:mm:ss";
    public const string DateTimeFormat = "dd/mm/yyyy hh:mm";

    public byte[] Render(MonthlyReport report)
    {
        using var scope = CultureScope.Use(CultureInfo.GetCultureInfo(report.Culture));
        using var workbook = new XLWorkbook();
        Summary(workbook.AddWorksheet(Name("Sheet_Summary")), report);
        Availability(workbook.AddWorksheet(Name("Sheet_Districts")), report.Districts, text["Col_District"]);
        Availability(workbook.AddWorksheet(Name("Sheet_Sites")), report.Sites, text["Col_Site"]);
        Availability(workbook.AddWorksheet(Name("Sheet_DeviceTypes")), report.DeviceTypes, text["Col_DeviceType"]);
        Incidents(workbook.AddWorksheet(Name("Sheet_Incidents")), report);
        Offenders(workbook.AddWorksheet(Name("Sheet_TopOffenders")), report);
        Security(workbook.AddWorksheet(Name("Sheet_Security")), report);
        using var stream = new MemoryStream();
        workbook.SaveAs(stream);
        return stream.ToArray();
    }

    /// <summary>The sheet names in the report's language, in order (tests and readers look sheets up by them).</summary>
    public IReadOnlyList<string> SheetNames(string culture)
    {
        using var scope = CultureScope.Use(CultureInfo.GetCultureInfo(culture));
        return [.. ((string[])["Sheet_Summary", "Sheet_Districts", "Sheet_Sites", "Sheet_DeviceTypes", "Sheet_Incidents", "Sheet_TopOffenders", "Sheet_Security"]).Select(Name)];
    }

    private string Name(string key) => text[key];

    private void Summary(IXLWorksheet sheet, MonthlyReport report)
    {
        var culture = CultureInfo.CurrentCulture;
        sheet.Cell(1, 1).SetValue($"{text["Title"]} · {string.Format(culture, text["Province"], report.Province)}");
        sheet.Cell(1, 1).Style.Font.Bold = true;
        sheet.Cell(1, 1).Style.Font.FontSize = 14;
        sheet.Cell(2, 1).SetValue(report.Summary);
        sheet.Cell(2, 1).Style.Alignment.WrapText = true;
        sheet.Range(2, 1, 2, 4).Merge();
        sheet.Row(2).Height = 90;
        Header(sheet, 4, text["Col_Item"], text["Col_Value"]);
        var row = 5;
        void Line(string key, Action<IXLCell> set)
        {
            sheet.Cell(row, 1).Value = text[key].Value;
            set(sheet.Cell(row, 2));
            row++;
        }

        Line("Key_Month", c => c.Value = report.Month.ToString());
        Line("Key_Period", c => c.Value = $"{clock.ToLocal(report.From).ToString("g", culture)} – {clock.ToLocal(report.To).ToString("g", culture)}{(report.Partial ? " *" : string.Empty)}");
        Line("Key_Availability", c => Percent(c, report.Overall.Percent));
        Line("Col_Target", c => Percent(c, report.Target));
        Line("Col_Met", c => c.Value = Met(report.Overall.Met));
        Line("Col_Downtime", c => Duration(c, report.Overall.Downtime));
        Line("Col_Allowed", c => Duration(c, report.Overall.AllowedDowntime));
        Line("Key_DistrictsMet", c => c.Value = report.Districts.Count(d => d.Met == true));
        Line("Key_Incidents", c => c.Value = report.IncidentTotals.Count);
        Line("Col_Mtta", c => Duration(c, report.IncidentTotals.Mtta));
        Line("Col_Mttr", c => Duration(c, report.IncidentTotals.Mttr));
        Line("Key_Security", c => c.Value = report.SecurityTotal);
        if (report.Partial)
        {
            sheet.Cell(row + 1, 1).Value = "* " + string.Format(culture, text["Partial"], clock.ToLocal(report.To).ToString("g", culture));
        }

        sheet.Column(1).Width = 36;
        sheet.Column(2).Width = 34;
        sheet.Columns(3, 4).Width = 20;
        sheet.SheetView.FreezeRows(4);
    }

    private void Availability(IXLWorksheet sheet, IReadOnlyList<AvailabilityRow> rows, string nameHeader)
    {
        Header(sheet, 1, nameHeader, text["Col_Devices"], text["Col_Availability"], text["Col_Target"], text["Col_Met"], text["Col_Observed"], text["Col_Downtime"], text["Col_Allowed"], text["Col_Outages"]);
        var r = 2;
        foreach (var row in rows)
        {
            sheet.Cell(r, 1).SetValue(row.Name);
            sheet.Cell(r, 2).Value = row.Devices;
            Percent(sheet.Cell(r, 3), row.Percent);
            Percent(sheet.Cell(r, 4), row.Target);
            sheet.Cell(r, 5).Value = Met(row.Met);
            sheet.Cell(r, 6).Value = Math.Round(row.Observed.TotalHours, 2);
            sheet.Cell(r, 6).Style.NumberFormat.Format = "#,##0.00";
            Duration(sheet.Cell(r, 7), row.Downtime);
            Duration(sheet.Cell(r, 8), row.AllowedDowntime);
            sheet.Cell(r, 9).Value = row.Outages;
            if (row.Met == false)
            {
                sheet.Cell(r, 3).Style.Font.FontColor = XLColor.FromHtml("#B3261E");
            }

            r++;
        }

        sheet.Column(1).Width = 40;
        sheet.Columns(2, 9).Width = 18;
        sheet.SheetView.FreezeRows(1);
    }

    private void Incidents(IXLWorksheet sheet, MonthlyReport report)
    {
        Header(sheet, 1, text["Col_Severity"], text["Col_Count"], text["Col_Open"], text["Col_Acknowledged"], text["Col_Resolved"], text["Col_Mtta"], text["Col_Mttr"]);
        var r = 2;
        foreach (var s in report.IncidentsBySeverity.Append(report.IncidentTotals))
        {
            sheet.Cell(r, 1).Value = s.Severity is { } sev ? words.Severity(sev) : text["AllSeverities"].Value;
            sheet.Cell(r, 2).Value = s.Count;
            sheet.Cell(r, 3).Value = s.Open;
            sheet.Cell(r, 4).Value = s.Acknowledged;
            sheet.Cell(r, 5).Value = s.Resolved;
            Duration(sheet.Cell(r, 6), s.Mtta);
            Duration(sheet.Cell(r, 7), s.Mttr);
            if (s.Severity is null)
            {
                sheet.Row(r).Style.Font.Bold = true;
            }

            r++;
        }

        r += 1;
        var listHeader = r;
        Header(sheet, listHeader, text["Col_Id"], text["Col_Fired"], text["Col_Severity"], text["Col_Subject"], text["Col_Place"], text["Col_Summary"], text["Col_Acknowledged"], text["Col_Resolved"], text["Col_Tta"], text["Col_Ttr"]);
        r++;
        foreach (var a in report.Incidents)
        {
            sheet.Cell(r, 1).Value = a.Id;
            Time(sheet.Cell(r, 2), a.FiredAt);
            sheet.Cell(r, 3).Value = words.Severity(a.Severity);
            sheet.Cell(r, 4).SetValue(a.Subject);
            sheet.Cell(r, 5).SetValue(a.Site ?? a.District ?? string.Empty);
            sheet.Cell(r, 6).SetValue(a.Texts?.Summary.For(CultureInfo.CurrentUICulture) ?? a.Summary);
            Time(sheet.Cell(r, 7), a.AcknowledgedAt);
            Time(sheet.Cell(r, 8), a.ResolvedAt);
            Duration(sheet.Cell(r, 9), a.AcknowledgedAt - a.FiredAt);
            Duration(sheet.Cell(r, 10), a.ResolvedAt - a.FiredAt);
            r++;
        }

        sheet.Column(1).Width = 16;
        sheet.Columns(2, 3).Width = 18;
        sheet.Column(4).Width = 30;
        sheet.Column(5).Width = 22;
        sheet.Column(6).Width = 50;
        sheet.Columns(7, 10).Width = 18;
        sheet.SheetView.FreezeRows(1);
    }

    private void Offenders(IXLWorksheet sheet, MonthlyReport report)
    {
        Header(sheet, 1, text["Col_Rank"], text["Col_Device"], text["Col_DeviceType"], text["Col_Site"], text["Col_Downtime"], text["Col_Outages"], text["Col_Alerts"]);
        var r = 2;
        void Block(string title, IReadOnlyList<Offender> rows)
        {
            sheet.Cell(r, 1).SetValue(title);
            sheet.Cell(r, 1).Style.Font.Bold = true;
            r++;
            var rank = 1;
            foreach (var o in rows)
            {
                sheet.Cell(r, 1).Value = rank++;
                sheet.Cell(r, 2).SetValue(o.Device);
                sheet.Cell(r, 3).Value = words.DeviceType(o.DeviceType);
                sheet.Cell(r, 4).SetValue(o.SiteName);
                Duration(sheet.Cell(r, 5), o.Downtime);
                sheet.Cell(r, 6).Value = o.Outages;
                sheet.Cell(r, 7).Value = o.Alerts;
                r++;
            }

            r++;
        }

        Block(text["Section_TopDowntime"], report.TopByDowntime);
        Block(text["Section_TopAlerts"], report.TopByAlerts);
        sheet.Column(1).Width = 8;
        sheet.Column(2).Width = 24;
        sheet.Column(3).Width = 24;
        sheet.Column(4).Width = 36;
        sheet.Columns(5, 7).Width = 16;
        sheet.SheetView.FreezeRows(1);
    }

    private void Security(IXLWorksheet sheet, MonthlyReport report)
    {
        Header(sheet, 1, text["Col_EventType"], "type", text["Col_Count"]);
        var r = 2;
        foreach (var s in report.Security)
        {
            sheet.Cell(r, 1).SetValue(s.Name);
            sheet.Cell(r, 2).SetValue(s.EventType);
            sheet.Cell(r, 3).Value = s.Count;
            r++;
        }

        sheet.Cell(r, 1).Value = text["Total"].Value;
        sheet.Cell(r, 3).Value = report.SecurityTotal;
        sheet.Row(r).Style.Font.Bold = true;
        sheet.Column(1).Width = 32;
        sheet.Column(2).Width = 20;
        sheet.Column(3).Width = 14;
        sheet.SheetView.FreezeRows(1);
    }

    private static void Header(IXLWorksheet sheet, int row, params string[] titles)
    {
        for (var i = 0; i < titles.Length; i++)
        {
            var cell = sheet.Cell(row, i + 1);
            cell.Value = titles[i];
            cell.Style.Font.Bold = true;
            cell.Style.Font.FontColor = XLColor.White;
            cell.Style.Fill.BackgroundColor = XLColor.FromHtml("#1F4E79");
            cell.Style.Alignment.WrapText = true;
            cell.Style.Alignment.Vertical = XLAlignmentVerticalValues.Center;
        }
    }

    private string Met(bool? met) => met switch { true => text["Yes"], false => text["No"], _ => text["NotAvailable"] };

    /// <summary>A percentage as a fraction with the percent format (99.982 → 0.99982 shown "99.982%"); empty without data.</summary>
    private static void Percent(IXLCell cell, double? percent)
    {
        if (percent is { } p)
        {
            cell.Value = p / 100.0;
            cell.Style.NumberFormat.Format = PercentFormat;
        }
    }

    /// <summary>A duration as an Excel time (days) shown [h]:mm:ss; empty when there is none.</summary>
    private static void Duration(IXLCell cell, TimeSpan? span)
    {
        if (span is { } s)
        {
            cell.Value = s.TotalDays;
            cell.Style.NumberFormat.Format = DurationFormat;
        }
    }

    private void Time(IXLCell cell, DateTimeOffset? at)
    {
        if (at is { } t)
        {
            cell.Value = clock.ToLocal(t).DateTime;
            cell.Style.NumberFormat.Format = DateTimeFormat;
        }
    }
}
