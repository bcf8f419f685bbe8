using System.Globalization;
using System.Text;
using Ioc.Alerting.Text;
using Ioc.Contract.Alerts;
using Ioc.Contract.Text;

namespace Ioc.Alerting.Notifications;

/// <summary>
/// Fills <c>{placeholder}</c> templates for webhooks and e-mail, Vietnamese first: <c>{summary} {rule} {severityText}
/// {eventText} {stateText} {place} {atLocal} {firedAtLocal}</c> are Vietnamese (times in Asia/Ho_Chi_Minh, dd/MM/yyyy HH:mm),
/// each with an English twin ending in <c>En</c> (<c>{summaryEn}</c>, <c>{ruleEn}</c>, …); and the codes <c>{id} {event} {at}
/// {ruleId} {severity} {state} {subject} {site} {district} {deviceType} {device} {value} {firedAt} {repeats}
/// {escalationLevel} {assignee} {link}</c>. Unknown placeholders stay as written.
/// </summary>
public static class NotificationTemplate
{
    private static readonly TimeZoneInfo Vietnam = FindVietnam();
    private static readonly CultureInfo Vietnamese = CultureInfo.GetCultureInfo("vi-VN");

    public static IReadOnlyDictionary<string, string> Values(Alert alert, string @event, DateTimeOffset at, string? dashboardUrl, ISiteNames? sites = null, TimeZoneInfo? zone = null)
    {
        sites ??= NoSiteNames.Instance;
        zone ??= Vietnam;
        var summary = alert.Texts?.Summary ?? new LocalizedText(alert.Summary, alert.Summary);
        var rule = alert.Texts?.RuleName ?? new LocalizedText(alert.RuleName, alert.RuleName);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["id"] = alert.Id.ToString(CultureInfo.InvariantCulture),
            ["event"] = @event,
            ["eventText"] = EventText(@event, Language.Vi),
            ["eventTextEn"] = EventText(@event, Language.En),
            ["at"] = at.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture),
            ["atLocal"] = Local(at, zone),
            ["rule"] = rule.Vi,
            ["ruleEn"] = rule.En,
            ["ruleId"] = alert.RuleId,
            ["severity"] = AlertSeverities.Name(alert.Severity),
            ["severityText"] = AlertWords.Severity(alert.Severity, Language.Vi),
            ["severityTextEn"] = AlertWords.Severity(alert.Severity, Language.En),
            ["state"] = AlertStates.Name(alert.State),
            ["stateText"] = StateText(alert.State, Language.Vi),
            ["stateTextEn"] = StateText(alert.State, Language.En),
            ["subject"] = alert.Subject,
            ["site"] = alert.Site ?? "-",
            ["district"] = alert.District ?? "-",
            ["place"] = AlertWords.Place(alert.Site, alert.District, sites, Language.Vi),
            ["placeEn"] = AlertWords.Place(alert.Site, alert.District, sites, Language.En),
            ["deviceType"] = alert.DeviceType ?? "-",
            ["device"] = alert.DeviceId ?? "-",
            ["summary"] = summary.Vi,
            ["summaryEn"] = summary.En,
            ["value"] = alert.Value is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) : "-",
            ["firedAt"] = alert.FiredAt.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture),
            ["firedAtLocal"] = Local(alert.FiredAt, zone),
            ["repeats"] = alert.RepeatCount.ToString(CultureInfo.InvariantCulture),
            ["escalationLevel"] = alert.EscalationLevel.ToString(CultureInfo.InvariantCulture),
            ["assignee"] = alert.Assignee ?? "-",
            ["link"] = (@event == "test" ? dashboardUrl : Link(dashboardUrl, alert.Id)) ?? string.Empty,
        };
    }

    /// <summary>A notification's event in words: <c>fired</c> → "Cảnh báo mới" / "Fired".</summary>
    public static string EventText(string @event, Language language) => (@event, language) switch
    {
        ("fired", Language.Vi) => "Cảnh báo mới",
        ("fired", _) => "Fired",
        ("resolved", Language.Vi) => "Đã xử lý",
        ("resolved", _) => "Resolved",
        ("escalated", Language.Vi) => "Leo thang",
        ("escalated", _) => "Escalated",
        ("test", Language.Vi) => "Tin nhắn thử",
        ("test", _) => "Test message",
        _ => @event,
    };

    public static string StateText(AlertState state, Language language) => (state, language) switch
    {
        (AlertState.Firing, Language.Vi) => "Đang cảnh báo",
        (AlertState.Acknowledged, Language.Vi) => "Đã xác nhận",
        (AlertState.Resolved, Language.Vi) => "Đã xử lý",
        (AlertState.Firing, _) => "Firing",
        (AlertState.Acknowledged, _) => "Acknowledged",
        _ => "Resolved",
    };

    /// <summary>The alert's page on the dashboard: <c>{dashboardUrl}/alerts/{id}</c>; null without a dashboard URL.</summary>
    public static string? Link(string? dashboardUrl, long alertId) =>
        string.IsNullOrEmpty(dashboardUrl) ? null : string.Create(CultureInfo.InvariantCulture, $"{dashboardUrl.TrimEnd('/')}/alerts/{alertId}");

    /// <summary>A time as people here read it: <c>dd/MM/yyyy HH:mm</c> in the zone.</summary>
    public static string Local(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("dd/MM/yyyy HH:mm", Vietnamese);

    public static TimeZoneInfo FindZone(string id) => TryFindZone(id, out var zone) ? zone : Vietnam;

    public static bool TryFindZone(string? id, out TimeZoneInfo zone)
    {
        zone = Vietnam;
        if (string.IsNullOrWhiteSpace(id))
        {
            return false;
        }

        if (id == "Asia/Ho_Chi_Minh")
        {
            return true;
        }

        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return false;
        }
    }

    private static TimeZoneInfo FindVietnam()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Asia/Ho_Chi_Minh");
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            // A machine without tzdata: Viet Nam has kept UTC+7 without daylight saving since 1975.
            return TimeZoneInfo.CreateCustomTimeZone("Asia/Ho_Chi_Minh", TimeSpan.FromHours(7), "Indochina Time", "ICT");
        }
    }

    public static string Render(string template, IReadOnlyDictionary<string, string> values)
    {
        var builder = new StringBuilder(template.Length + 64);
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            var close = open < 0 ? -1 : template.IndexOf('}', open + 1);
            if (open < 0 || close < 0)
            {
                builder.Append(template, i, template.Length - i);
                break;
            }

            builder.Append(template, i, open - i);
            var name = template.Substring(open + 1, close - open - 1);
            builder.Append(values.TryGetValue(name, out var value) ? value : template.Substring(open, close - open + 1));
            i = close + 1;
        }

        return builder.ToString();
    }
}
