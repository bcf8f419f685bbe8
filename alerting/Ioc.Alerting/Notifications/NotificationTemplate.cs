using System.Globalization;
using System.Text;
using Ioc.Contract.Alerts;

namespace Ioc.Alerting.Notifications;

/// <summary>
/// Fills <c>{placeholder}</c> templates for webhooks and e-mail: <c>{id} {event} {at} {rule} {ruleId} {severity} {state}
/// {subject} {site} {district} {deviceType} {device} {summary} {value} {firedAt} {repeats} {escalationLevel} {assignee} {link}</c>.
/// Unknown placeholders stay as written.
/// </summary>
public static class NotificationTemplate
{
    public static IReadOnlyDictionary<string, string> Values(Alert alert, string @event, DateTimeOffset at, string? dashboardUrl) =>
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["id"] = alert.Id.ToString(CultureInfo.InvariantCulture),
            ["event"] = @event,
            ["at"] = at.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture),
            ["rule"] = alert.RuleName,
            ["ruleId"] = alert.RuleId,
            ["severity"] = AlertSeverities.Name(alert.Severity),
            ["state"] = AlertStates.Name(alert.State),
            ["subject"] = alert.Subject,
            ["site"] = alert.Site ?? "-",
            ["district"] = alert.District ?? "-",
            ["deviceType"] = alert.DeviceType ?? "-",
            ["device"] = alert.DeviceId ?? "-",
            ["summary"] = alert.Summary,
            ["value"] = alert.Value is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) : "-",
            ["firedAt"] = alert.FiredAt.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture),
            ["repeats"] = alert.RepeatCount.ToString(CultureInfo.InvariantCulture),
            ["escalationLevel"] = alert.EscalationLevel.ToString(CultureInfo.InvariantCulture),
            ["assignee"] = alert.Assignee ?? "-",
            ["link"] = string.IsNullOrEmpty(dashboardUrl) ? string.Empty : $"{dashboardUrl.TrimEnd('/')}/alerts/{alert.Id}",
        };

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
