using System.Globalization;
using Ioc.Contract.Alerts;
using Ioc.Contract.Model;
using Microsoft.Extensions.Localization;

namespace Ioc.Dashboard;

/// <summary>
/// The dashboard's one catalogue of words for codes, in Vietnamese and English (Resources/Vocabulary.resx and .vi.resx):
/// event types (<c>auth_failure</c> → "Đăng nhập thất bại"), alert timeline actions (<c>commented</c> → "Đã bình luận"),
/// severities, alert states, device health, device types, units (<c>min</c> → "phút", <c>s</c> → "giây") and durations
/// ("1 ph 3 giây" / "1 min 3 s"). A code the catalogue does not know is shown as it is. Injected as a singleton; every
/// method reads the current UI culture.
/// </summary>
public sealed class Vocabulary(IStringLocalizer<Vocabulary> localizer)
{
    /// <summary>An event type in words; unknown types read as words from the code ("port_scan" → "port scan").</summary>
    public string EventType(string? type) => Lookup("Event_", type) ?? type?.Replace('_', ' ') ?? string.Empty;

    /// <summary>An alert timeline action (audit <c>action</c>) in words: <c>commented</c>, <c>acknowledged</c>, <c>assigned</c>, …</summary>
    public string TimelineAction(string? action) => Lookup("Action_", action?.Replace(' ', '_')) ?? action ?? string.Empty;

    public string Severity(AlertSeverity severity) => Lookup("Severity_", severity.ToString())!;

    public string Severity(EventSeverity severity) => Lookup("Severity_", severity.ToString()) ?? severity.ToString();

    public string State(AlertState state) => Lookup("State_", state.ToString())!;

    public string Health(HealthState state) => Lookup("Health_", state.ToString()) ?? state.ToString();

    public string DeviceType(string? type) => Lookup("Type_", type) ?? type ?? string.Empty;

    /// <summary>A unit in the culture's words: <c>min</c> → "phút", <c>s</c> → "giây", <c>%</c>, <c>°C</c>, <c>kW</c>, <c>Mbps</c> as they are.</summary>
    public string Unit(string? unit) => unit switch
    {
        null or "" => string.Empty,
        "%" or "pct" => Lookup("Unit_", "pct")!,
        "°C" or "C" or "c" => Lookup("Unit_", "C")!,
        _ => Lookup("Unit_", unit) ?? unit,
    };

    /// <summary>The unit of a metric from its name: <c>temp_c</c> → °C, <c>battery_pct</c> → %, <c>runtime_min</c> → phút, <c>power_kw</c> → kW.</summary>
    public string UnitOfMetric(string? metric)
    {
        if (string.IsNullOrEmpty(metric))
        {
            return string.Empty;
        }

        var suffix = metric[(metric.LastIndexOf('_') + 1)..];
        return suffix switch
        {
            "c" => Unit("°C"),
            "pct" or "percent" => Unit("%"),
            "min" or "s" or "ms" or "h" => Unit(suffix),
            "kw" => Unit("kW"),
            "kwh" => Unit("kWh"),
            "mbps" => Unit("Mbps"),
            "v" or "voltage" => Unit("V"),
            "a" => Unit("A"),
            "dbm" => Unit("dBm"),
            _ => string.Empty,
        };
    }

    /// <summary>A duration in words, at most two units: "1 ph 3 giây" / "1 min 3 s", "5 phút", "2 giờ 5 ph", "3 ngày 4 giờ".</summary>
    public string Duration(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            duration = duration.Negate();
        }

        var culture = CultureInfo.CurrentCulture;
        string Part(string key, long value) => string.Format(culture, localizer[key], value);
        if (duration.TotalDays >= 1)
        {
            return duration.Hours == 0 ? Part("Duration_Days", duration.Days) : $"{Part("Duration_Days", duration.Days)} {Part("Duration_Hours", duration.Hours)}";
        }

        if (duration.TotalHours >= 1)
        {
            return duration.Minutes == 0 ? Part("Duration_Hours", duration.Hours) : $"{Part("Duration_Hours", duration.Hours)} {Part("Duration_MinutesShort", duration.Minutes)}";
        }

        if (duration.TotalMinutes >= 1)
        {
            return duration.Seconds == 0 ? Part("Duration_Minutes", duration.Minutes) : $"{Part("Duration_MinutesShort", duration.Minutes)} {Part("Duration_Seconds", duration.Seconds)}";
        }

        return duration.Seconds == 0 ? localizer["Duration_Zero"] : Part("Duration_Seconds", duration.Seconds);
    }

    private string? Lookup(string prefix, string? code)
    {
        if (string.IsNullOrEmpty(code))
        {
            return null;
        }

        var text = localizer[prefix + code];
        return text.ResourceNotFound ? null : text.Value;
    }
}
