using System.Globalization;
using Ioc.Alerting.Service;
using Ioc.Contract;
using Ioc.Contract.Alerts;
using Ioc.Contract.Model;
using Ioc.Dashboard.Configuration;
using Ioc.Dashboard.Data;
using Ioc.Storage;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Ioc.Dashboard.Reports;

/// <summary>Marker type of the report's words (Resources/Reports/ReportText.resx and .vi.resx), shared by the page, the workbook and the PDF.</summary>
public sealed class ReportText;

/// <summary>Sets the thread's culture and UI culture for a rendering and restores them after (workbook, HTML, mail outside a request).</summary>
public readonly struct CultureScope : IDisposable
{
    private readonly CultureInfo _culture;
    private readonly CultureInfo _uiCulture;

    private CultureScope(CultureInfo culture)
    {
        _culture = CultureInfo.CurrentCulture;
        _uiCulture = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentCulture = culture;
        CultureInfo.CurrentUICulture = culture;
    }

    public static CultureScope Use(CultureInfo culture) => new(culture);

    public void Dispose()
    {
        CultureInfo.CurrentCulture = _culture;
        CultureInfo.CurrentUICulture = _uiCulture;
    }
}

/// <summary>
/// Computes the <see cref="MonthlyReport"/> of a calendar month in the console's time zone: availability from the same
/// status history as the Uptime page (<see cref="UptimeService"/>), incidents from the alert store (grouped alerts folded
/// under their parent), security events counted by the telemetry store per type.
/// </summary>
public sealed class MonthlyReportService(
    UptimeService uptime,
    ITelemetryStore store,
    ISiteDirectory sites,
    DashboardClock clock,
    Vocabulary words,
    IStringLocalizer<ReportText> text,
    IOptions<DashboardOptions> dashboard,
    IOptions<ReportsOptions> options,
    IServiceProvider services)
{
    /// <summary>At most this many alerts are read for a month (the store's own cap).</summary>
    public const int AlertLimit = 10_000;

    public ReportsOptions Options => options.Value;

    /// <summary>The last full month (the default of the page and what the 1st-of-month mail sends).</summary>
    public ReportMonth LastFullMonth => ReportMonth.Of(clock.Now).Previous;

    public ReportMonth CurrentMonth => ReportMonth.Of(clock.Now);

    public async Task<MonthlyReport> BuildAsync(ReportMonth month, CultureInfo culture, CancellationToken cancellationToken)
    {
        var zone = clock.Zone;
        var from = month.Start(zone);
        var end = month.Next.Start(zone);
        var now = clock.UtcNow;
        var partial = end > now;
        var to = partial ? (now > from ? now : from) : end;
        var target = dashboard.Value.UptimeTarget;

        var figures = to > from ? (await uptime.ReportAsync(from, to, cancellationToken)).Devices : [];
        var queries = services.GetService(typeof(IAlertQueries)) as IAlertQueries;
        var alerts = queries is null || to <= from
            ? []
            : await queries.ListAsync(new AlertFilter { FiredFrom = from, FiredBefore = to, Limit = AlertLimit }, cancellationToken);
        var security = new List<(string Type, long Count)>();
        if (to > from)
        {
            foreach (var type in EventTypes.Security.Order(StringComparer.Ordinal))
            {
                var count = await store.CountAsync(
                    new PointQuery(Measurements.Event, from, to) { Tags = new Dictionary<string, string> { [TagNames.EventType] = type } },
                    cancellationToken);
                security.Add((type, count));
            }
        }

        using var scope = CultureScope.Use(culture);
        var overall = MonthlyReportCalculator.Row("province", text["Overall"], figures, target);
        var districts = MonthlyReportCalculator.Group(figures, key => sites.DistrictOf(MonthlyReportCalculator.Split(key).Site) is { } d ? (d.Slug, d.Name(culture)) : null, target);
        var siteRows = MonthlyReportCalculator.Group(figures, key => (MonthlyReportCalculator.Split(key).Site, sites.DisplayName(MonthlyReportCalculator.Split(key).Site, culture)), target);
        var types = MonthlyReportCalculator.Group(figures, key => (MonthlyReportCalculator.Split(key).Type, words.DeviceType(MonthlyReportCalculator.Split(key).Type)), target);
        var incidents = MonthlyReportCalculator.Fold(alerts);
        var bySeverity = Enum.GetValues<AlertSeverity>().OrderDescending()
            .Select(s => MonthlyReportCalculator.Incidents(s, [.. incidents.Where(a => a.Severity == s)]))
            .ToList();
        var totals = MonthlyReportCalculator.Incidents(null, incidents);
        var (byDowntime, byAlerts) = MonthlyReportCalculator.Offenders(figures, alerts, s => sites.DisplayName(s, culture));
        var securityFigures = security.Select(s => new SecurityFigure(s.Type, words.EventType(s.Type), s.Count))
            .OrderByDescending(s => s.Count).ThenBy(s => s.EventType, StringComparer.Ordinal).ToList();

        var report = new MonthlyReport
        {
            Month = month,
            Culture = culture.Name,
            From = from,
            To = to,
            Partial = partial,
            GeneratedAt = now,
            Province = culture.TwoLetterISOLanguageName == "vi" ? options.Value.ProvinceVi : options.Value.ProvinceEn,
            Target = target,
            Overall = overall,
            Districts = districts,
            Sites = siteRows,
            DeviceTypes = types,
            Incidents = incidents,
            IncidentsTruncated = alerts.Count >= AlertLimit,
            IncidentTotals = totals,
            IncidentsBySeverity = bySeverity,
            TopByDowntime = byDowntime,
            TopByAlerts = byAlerts,
            Security = securityFigures,
            Summary = string.Empty,
        };
        return report with { Summary = Summarize(report, culture) };
    }

    /// <summary>The paragraph leadership reads, from the report's own figures.</summary>
    private string Summarize(MonthlyReport report, CultureInfo culture)
    {
        var month = report.Month.Display(culture);
        if (!report.HasData)
        {
            return string.Format(culture, text["NoData"], month);
        }

        var parts = new List<string>();
        if (report.Overall.Percent is { } pct)
        {
            var measured = report.Districts.Where(d => d.Met is not null).ToList();
            parts.Add(string.Format(
                culture,
                text["Summary_Availability"],
                month,
                Percent(pct, culture),
                Percent(report.Target, culture),
                report.Overall.Met == true ? text["Summary_Met"] : text["Summary_NotMet"],
                measured.Count(d => d.Met == true),
                measured.Count));
        }
        else
        {
            parts.Add(string.Format(culture, text["Summary_NoAvailability"], month));
        }

        if (report.IncidentTotals.Count > 0)
        {
            var totals = report.IncidentTotals;
            parts.Add(string.Format(
                culture,
                text["Summary_Incidents"],
                totals.Count,
                report.IncidentsBySeverity.FirstOrDefault(s => s.Severity == AlertSeverity.Critical)?.Count ?? 0));
            parts.Add((totals.Mtta, totals.Mttr) switch
            {
                ({ } mtta, { } mttr) => string.Format(culture, text["Summary_Times"], words.Duration(mtta), words.Duration(mttr)),
                ({ } mtta, null) => string.Format(culture, text["Summary_AckOnly"], words.Duration(mtta)),
                (null, { } mttr) => string.Format(culture, text["Summary_ResolvedOnly"], words.Duration(mttr)),
                _ => text["Summary_NoAck"],
            });
        }
        else
        {
            parts.Add(text["Summary_NoIncidents"]);
        }

        if (report.IncidentsTruncated)
        {
            parts.Add(string.Format(culture, text["Summary_Truncated"], AlertLimit));
        }

        if (report.TopByDowntime.FirstOrDefault() is { } worst)
        {
            parts.Add(string.Format(culture, text["Summary_TopOffender"], worst.Device, worst.SiteName, words.Duration(worst.Downtime)));
        }

        if (report.SecurityTotal > 0)
        {
            var top = report.Security[0];
            parts.Add(string.Format(culture, text["Summary_Security"], report.SecurityTotal, top.Name, top.Count));
        }
        else
        {
            parts.Add(text["Summary_NoSecurity"]);
        }

        return string.Join(" ", parts);
    }

    /// <summary>A percentage with three decimals in the culture ("99,982" / "99.982").</summary>
    public static string Percent(double value, CultureInfo culture) => value.ToString("0.000", culture);
}
