using System.Globalization;
using Ioc.Contract;
using Ioc.Contract.Alerts;
using Ioc.Contract.Text;

namespace Ioc.Alerting.Text;

/// <summary>The two languages of alert texts.</summary>
public enum Language
{
    Vi,
    En,
}

/// <summary>
/// Words the engine writes into alert texts and notifications, in Vietnamese and English: device types, units of metrics,
/// durations, severities, places (district · site) and slugs made readable. The dashboard has its own catalogue
/// (Resources/Vocabulary) for what it shows; these are for texts rendered before anyone reads them.
/// </summary>
public static class AlertWords
{
    private static readonly CultureInfo Vietnamese = CultureInfo.GetCultureInfo("vi-VN");

    public static CultureInfo Culture(Language language) => language == Language.Vi ? Vietnamese : CultureInfo.InvariantCulture;

    public static string Pick(LocalizedText text, Language language) => language == Language.Vi ? text.Vi : text.En;

    public static string Number(double value, Language language) => value.ToString("0.##", Culture(language));

    public static string DeviceType(string? type, Language language) => (type, language) switch
    {
        (DeviceTypes.WifiAccessPoint, Language.Vi) => "điểm phát Wi-Fi",
        (DeviceTypes.WifiAccessPoint, _) => "Wi-Fi access point",
        (DeviceTypes.Switch, Language.Vi) => "bộ chuyển mạch",
        (DeviceTypes.Router, Language.Vi) => "bộ định tuyến",
        (DeviceTypes.Firewall, Language.Vi) => "tường lửa",
        (DeviceTypes.Server, Language.Vi) => "máy chủ",
        (DeviceTypes.Ups, _) => "UPS",
        (DeviceTypes.Pdu, _) => "PDU",
        (DeviceTypes.Cooling, Language.Vi) => "điều hòa chính xác",
        (DeviceTypes.Cooling, _) => "precision cooling",
        (DeviceTypes.EnvironmentSensor, Language.Vi) => "cảm biến môi trường",
        (DeviceTypes.EnvironmentSensor, _) => "environment sensor",
        (DeviceTypes.Collector, Language.Vi) => "bộ thu thập",
        (null, _) => "-",
        _ => type,
    };

    /// <summary>The unit of a metric from its name (<c>temp_c</c> → °C, <c>battery_pct</c> → %, <c>runtime_min</c> → phút / min); empty when it has none.</summary>
    public static string Unit(string? metric, Language language)
    {
        if (metric is null)
        {
            return string.Empty;
        }

        if (metric.EndsWith("_c", StringComparison.Ordinal))
        {
            return "°C";
        }

        if (metric.EndsWith("_pct", StringComparison.Ordinal) || metric.EndsWith("percent", StringComparison.Ordinal) || metric.StartsWith("usage_", StringComparison.Ordinal))
        {
            return "%";
        }

        if (metric.EndsWith("_min", StringComparison.Ordinal))
        {
            return language == Language.Vi ? "phút" : "min";
        }

        if (metric.EndsWith("_s", StringComparison.Ordinal) || metric.EndsWith("_seconds", StringComparison.Ordinal))
        {
            return language == Language.Vi ? "giây" : "s";
        }

        if (metric.EndsWith("_ms", StringComparison.Ordinal))
        {
            return "ms";
        }

        if (metric.EndsWith("_kw", StringComparison.Ordinal))
        {
            return "kW";
        }

        if (metric.EndsWith("_mbps", StringComparison.Ordinal))
        {
            return "Mbps";
        }

        return string.Empty;
    }

    /// <summary>A duration in words: <c>1 ph 3 giây</c> / <c>1 min 3 s</c>, <c>5 phút</c> / <c>5 min</c>, <c>2 giờ</c> / <c>2 h</c>.</summary>
    public static string Duration(TimeSpan duration, Language language)
    {
        if (duration < TimeSpan.FromSeconds(1))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, (int)duration.TotalMilliseconds)} ms");
        }

        var vi = language == Language.Vi;
        var parts = new List<string>(3);
        var hours = (long)duration.TotalHours;
        if (hours > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{hours} {(vi ? "giờ" : "h")}"));
        }

        if (duration.Minutes > 0)
        {
            var alone = hours == 0 && duration.Seconds == 0;
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{duration.Minutes} {(vi ? (alone ? "phút" : "ph") : "min")}"));
        }

        if (duration.Seconds > 0 && hours == 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{duration.Seconds} {(vi ? "giây" : "s")}"));
        }

        return parts.Count == 0 ? (vi ? "0 giây" : "0 s") : string.Join(' ', parts);
    }

    public static string Severity(AlertSeverity severity, Language language) => (severity, language) switch
    {
        (AlertSeverity.Critical, Language.Vi) => "Khẩn cấp",
        (AlertSeverity.Major, Language.Vi) => "Nghiêm trọng",
        (AlertSeverity.Minor, Language.Vi) => "Nhẹ",
        (AlertSeverity.Warning, Language.Vi) => "Chú ý",
        (AlertSeverity.Info, Language.Vi) => "Thông tin",
        (AlertSeverity.Critical, _) => "Critical",
        (AlertSeverity.Major, _) => "Major",
        (AlertSeverity.Minor, _) => "Minor",
        (AlertSeverity.Warning, _) => "Warning",
        _ => "Info",
    };

    /// <summary>A slug made readable when no name is registered: <c>thanh-ha</c> → "Thanh Ha".</summary>
    public static string Humanize(string slug) =>
        string.Join(' ', slug.Split('-', StringSplitOptions.RemoveEmptyEntries).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));

    /// <summary>The district's name: the registered site of the district, else the slug made readable.</summary>
    public static string? DistrictName(string? site, string? district, ISiteNames sites, Language language)
    {
        var registered = site is null ? null : sites.Find(site);
        var slug = registered is not null ? registered.District : district;
        if (slug is null)
        {
            return registered is not null || site is not null ? (language == Language.Vi ? "cấp tỉnh" : "province level") : null;
        }

        return sites.Find(slug) is { } name ? Pick(name.Name, language) : Humanize(slug);
    }

    /// <summary>The site's own name (a district's own site: the district's name), registered or guessed.</summary>
    public static string? SiteName(string? site, string? district, ISiteNames sites, Language language)
    {
        if (site is null)
        {
            return null;
        }

        if (sites.Find(site) is { } registered)
        {
            return Pick(registered.Name, language);
        }

        var rest = district is not null && site.StartsWith(district + "-", StringComparison.Ordinal) ? site[(district.Length + 1)..] : site;
        return Humanize(rest);
    }

    /// <summary>Where: "Thanh Hà · An Sơn" for a commune, "Thanh Hà" for a district's own site, "Trung tâm dữ liệu tỉnh" for a provincial one.</summary>
    public static string Place(string? site, string? district, ISiteNames sites, Language language)
    {
        var registered = site is null ? null : sites.Find(site);
        var districtSlug = registered is not null ? registered.District : district;
        if (site is null)
        {
            return districtSlug is null ? "-" : DistrictName(null, districtSlug, sites, language)!;
        }

        var siteName = SiteName(site, districtSlug, sites, language)!;
        if (districtSlug is null || districtSlug == site)
        {
            return siteName;
        }

        if (registered is null && sites.Find(districtSlug) is null && !site.StartsWith(districtSlug + "-", StringComparison.Ordinal))
        {
            // An unregistered site in a pseudo-district of the rules file (core → tinh): the site alone.
            return siteName;
        }

        return $"{DistrictName(site, districtSlug, sites, language)} · {siteName}";
    }
}
