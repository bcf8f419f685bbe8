using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Ioc.Contract.Alerts;
using Ioc.Dashboard.Data;

namespace Ioc.Dashboard.Reports;

/// <summary>A calendar month (<c>yyyy-MM</c>, also in JSON), counted in the console's time zone.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(ReportMonthJsonConverter))]
public readonly record struct ReportMonth(int Year, int Month) : IComparable<ReportMonth>
{
    public static bool TryParse([NotNullWhen(true)] string? text, out ReportMonth month)
    {
        month = default;
        if (DateTime.TryParseExact(text, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) && date.Year >= 2000)
        {
            month = new ReportMonth(date.Year, date.Month);
            return true;
        }

        return false;
    }

    /// <summary>The month containing <paramref name="localDate"/>.</summary>
    public static ReportMonth Of(DateTimeOffset localDate) => new(localDate.Year, localDate.Month);

    public ReportMonth Previous => Month == 1 ? new(Year - 1, 12) : new(Year, Month - 1);

    public ReportMonth Next => Month == 12 ? new(Year + 1, 1) : new(Year, Month + 1);

    /// <summary>Local midnight of the 1st, as an instant in <paramref name="zone"/>.</summary>
    public DateTimeOffset Start(TimeZoneInfo zone)
    {
        var local = new DateTime(Year, Month, 1, 0, 0, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>"11/2026" (vi) or "November 2026" (en).</summary>
    public string Display(CultureInfo culture) =>
        culture.TwoLetterISOLanguageName == "vi"
            ? string.Create(culture, $"{Month:00}/{Year}")
            : new DateTime(Year, Month, 1).ToString("MMMM yyyy", culture);

    public int CompareTo(ReportMonth other) => (Year * 12 + Month).CompareTo(other.Year * 12 + other.Month);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year:0000}-{Month:00}");
}

/// <summary>Writes and reads a <see cref="ReportMonth"/> as its <c>yyyy-MM</c> string.</summary>
public sealed class ReportMonthJsonConverter : System.Text.Json.Serialization.JsonConverter<ReportMonth>
{
    public override ReportMonth Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options) =>
        ReportMonth.TryParse(reader.GetString(), out var month) ? month : throw new System.Text.Json.JsonException("a month is yyyy-MM");

    public override void Write(System.Text.Json.Utf8JsonWriter writer, ReportMonth value, System.Text.Json.JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}

/// <summary>
/// Availability of one group (the province, a district, a site, a device type) over the month: device-time online over
/// device-time observed (the Uptime page's figures), against the target, with the downtime the target allows and the
/// downtime used.
/// </summary>
public sealed record AvailabilityRow(string Key, string Name, int Devices, TimeSpan Observed, TimeSpan Online, int Outages, double Target)
{
    /// <summary>Null when nothing was observed (no data is not 0 %).</summary>
    public double? Percent => Observed <= TimeSpan.Zero ? null : 100.0 * Online.Ticks / Observed.Ticks;

    public bool? Met => Percent is { } p ? p >= Target : null;

    public TimeSpan Downtime => Observed - Online;

    /// <summary>Device-time the target allows to be down: observed × (1 − target).</summary>
    public TimeSpan AllowedDowntime => TimeSpan.FromTicks((long)(Observed.Ticks * (100.0 - Target) / 100.0));
}

/// <summary>Incidents of one severity (or all): count, still open, mean time to acknowledge and to resolve.</summary>
public sealed record IncidentFigures(AlertSeverity? Severity, int Count, int Open, int Acknowledged, int Resolved, TimeSpan? Mtta, TimeSpan? Mttr);

/// <summary>A device among the top offenders: its downtime and outages in the month, and the alerts about it.</summary>
public sealed record Offender(string Device, string Site, string SiteName, string DeviceType, TimeSpan Downtime, int Outages, int Alerts);

public sealed record SecurityFigure(string EventType, string Name, long Count);

/// <summary>The monthly report: everything the page, the workbook and the PDF show, computed once.</summary>
public sealed record MonthlyReport
{
    public required ReportMonth Month { get; init; }

    public required string Culture { get; init; }

    public required DateTimeOffset From { get; init; }

    /// <summary>The end of the month, or now for the current month (then <see cref="Partial"/>).</summary>
    public required DateTimeOffset To { get; init; }

    public required bool Partial { get; init; }

    public required DateTimeOffset GeneratedAt { get; init; }

    public required string Province { get; init; }

    public required double Target { get; init; }

    public required AvailabilityRow Overall { get; init; }

    public required IReadOnlyList<AvailabilityRow> Districts { get; init; }

    public required IReadOnlyList<AvailabilityRow> Sites { get; init; }

    public required IReadOnlyList<AvailabilityRow> DeviceTypes { get; init; }

    /// <summary>Incidents (top-level alerts: a group's children are folded under it, as the console shows them) fired in the month.</summary>
    public required IReadOnlyList<Alert> Incidents { get; init; }

    /// <summary>True when the store returned as many alerts as it was asked for: the figures may be incomplete.</summary>
    public required bool IncidentsTruncated { get; init; }

    public required IncidentFigures IncidentTotals { get; init; }

    public required IReadOnlyList<IncidentFigures> IncidentsBySeverity { get; init; }

    public required IReadOnlyList<Offender> TopByDowntime { get; init; }

    public required IReadOnlyList<Offender> TopByAlerts { get; init; }

    public required IReadOnlyList<SecurityFigure> Security { get; init; }

    /// <summary>Leadership's paragraph, in <see cref="Culture"/>.</summary>
    public required string Summary { get; init; }

    public bool HasData => Overall.Observed > TimeSpan.Zero || Incidents.Count > 0 || Security.Any(s => s.Count > 0);

    public long SecurityTotal => Security.Sum(s => s.Count);
}

/// <summary>The arithmetic of the report, apart from where the figures come from (unit-tested on its own).</summary>
public static class MonthlyReportCalculator
{
    public const int TopCount = 10;

    /// <summary>
    /// Groups device figures (keys <c>site/type/id</c>) by <paramref name="groupOf"/>, worst first; devices without a
    /// group, and groups of which nothing was observed in the window (no status at all: no data, not 0 %), are left out.
    /// </summary>
    public static IReadOnlyList<AvailabilityRow> Group(
        IEnumerable<UptimeFigure> devices, Func<string, (string Key, string Name)?> groupOf, double target)
    {
        return [.. devices
            .Select(f => (Figure: f, Group: groupOf(f.Key)))
            .Where(x => x.Group is not null)
            .GroupBy(x => x.Group!.Value.Key, StringComparer.Ordinal)
            .Select(g => Row(g.Key, g.First().Group!.Value.Name, g.Select(x => x.Figure), target))
            .Where(r => r.Observed > TimeSpan.Zero)
            .OrderBy(r => r.Percent ?? 101).ThenBy(r => r.Name, StringComparer.CurrentCulture)];
    }

    public static AvailabilityRow Row(string key, string name, IEnumerable<UptimeFigure> figures, double target)
    {
        var list = figures.ToList();
        return new AvailabilityRow(
            key,
            name,
            list.Count(f => f.Observed > TimeSpan.Zero),
            new TimeSpan(list.Sum(f => f.Observed.Ticks)),
            new TimeSpan(list.Sum(f => f.Online.Ticks)),
            list.Sum(f => f.OutageCount),
            target);
    }

    /// <summary>
    /// Incident figures for top-level alerts: MTTA over the acknowledged ones (fired → acknowledged), MTTR over the
    /// resolved ones (fired → resolved); null when none was.
    /// </summary>
    public static IncidentFigures Incidents(AlertSeverity? severity, IReadOnlyCollection<Alert> incidents)
    {
        static TimeSpan? Mean(IEnumerable<TimeSpan> spans)
        {
            var list = spans.ToList();
            return list.Count == 0 ? null : TimeSpan.FromTicks((long)list.Average(s => (double)s.Ticks));
        }

        return new IncidentFigures(
            severity,
            incidents.Count,
            incidents.Count(a => a.IsOpen),
            incidents.Count(a => a.AcknowledgedAt is not null),
            incidents.Count(a => a.ResolvedAt is not null),
            Mean(incidents.Where(a => a.AcknowledgedAt is not null).Select(a => a.AcknowledgedAt!.Value - a.FiredAt)),
            Mean(incidents.Where(a => a.ResolvedAt is not null).Select(a => a.ResolvedAt!.Value - a.FiredAt)));
    }

    /// <summary>Top-level alerts of the list: those without a parent, or whose parent is not in the list (fired the month before).</summary>
    public static IReadOnlyList<Alert> Fold(IReadOnlyList<Alert> alerts)
    {
        var ids = alerts.Select(a => a.Id).ToHashSet();
        return [.. alerts.Where(a => a.ParentId is not { } parent || !ids.Contains(parent)).OrderBy(a => a.FiredAt).ThenBy(a => a.Id)];
    }

    /// <summary>
    /// The top <see cref="TopCount"/> devices by downtime (then outages) and by alerts (every alert about the device,
    /// grouped or not).
    /// </summary>
    public static (IReadOnlyList<Offender> ByDowntime, IReadOnlyList<Offender> ByAlerts) Offenders(
        IEnumerable<UptimeFigure> devices, IReadOnlyList<Alert> alerts, Func<string, string> siteName)
    {
        var alertsByDevice = alerts
            .Where(a => a.Site is { Length: > 0 } && a.DeviceId is { Length: > 0 })
            .GroupBy(a => (Site: a.Site!, Type: a.DeviceType ?? string.Empty, Id: a.DeviceId!))
            .ToDictionary(g => $"{g.Key.Site}/{g.Key.Type}/{g.Key.Id}", g => g.Count(), StringComparer.Ordinal);
        var all = new Dictionary<string, Offender>(StringComparer.Ordinal);
        foreach (var f in devices)
        {
            var (site, type, id) = Split(f.Key);
            all[f.Key] = new Offender(id, site, siteName(site), type, f.Observed - f.Online, f.OutageCount, alertsByDevice.GetValueOrDefault(f.Key));
        }

        foreach (var (key, count) in alertsByDevice)
        {
            if (!all.ContainsKey(key))
            {
                var (site, type, id) = Split(key);
                all[key] = new Offender(id, site, siteName(site), type, TimeSpan.Zero, 0, count);
            }
        }

        var byDowntime = all.Values.Where(o => o.Downtime > TimeSpan.Zero)
            .OrderByDescending(o => o.Downtime).ThenByDescending(o => o.Outages).ThenBy(o => o.Device, StringComparer.Ordinal)
            .Take(TopCount).ToList();
        var byAlerts = all.Values.Where(o => o.Alerts > 0)
            .OrderByDescending(o => o.Alerts).ThenByDescending(o => o.Downtime).ThenBy(o => o.Device, StringComparer.Ordinal)
            .Take(TopCount).ToList();
        return (byDowntime, byAlerts);
    }

    /// <summary><c>site/type/id</c> → its parts (the id may itself hold slashes).</summary>
    public static (string Site, string Type, string Id) Split(string key)
    {
        var parts = key.Split('/', 3);
        return parts.Length == 3 ? (parts[0], parts[1], parts[2]) : (parts[0], string.Empty, key);
    }
}
