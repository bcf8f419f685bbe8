using System.Globalization;
using System.Text;
using Ioc.Contract.Alerts;
using Ioc.Alerting.Rules;

namespace Ioc.Alerting.Evaluation;

/// <summary>Fills a rule's <c>summary</c> template: <c>{subject} {device} {site} {district} {type} {metric} {value} {threshold} {rule} {severity}</c>.</summary>
public static class SummaryFormatter
{
    public static string Format(AlertRule rule, Subject subject, double? value, string fallback)
    {
        var template = rule.Summary ?? fallback;
        var builder = new StringBuilder(template.Length + 32);
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            if (open < 0)
            {
                builder.Append(template, i, template.Length - i);
                break;
            }

            var close = template.IndexOf('}', open + 1);
            if (close < 0)
            {
                builder.Append(template, i, template.Length - i);
                break;
            }

            builder.Append(template, i, open - i);
            var name = template.AsSpan(open + 1, close - open - 1);
            builder.Append(Resolve(name, rule, subject, value) ?? template.Substring(open, close - open + 1));
            i = close + 1;
        }

        return builder.ToString();
    }

    private static string? Resolve(ReadOnlySpan<char> name, AlertRule rule, Subject subject, double? value) => name switch
    {
        "subject" => subject.Display,
        "device" => subject.DeviceId ?? subject.Display,
        "site" => subject.Site ?? "-",
        "district" => subject.District ?? "-",
        "type" => subject.DeviceType ?? "-",
        "metric" => rule.Metric ?? "-",
        "value" => value is { } v ? v.ToString("0.##", CultureInfo.InvariantCulture) : "-",
        "threshold" => rule.Comparison is { } c ? $"{c.Symbol} {c.Trigger.ToString("0.##", CultureInfo.InvariantCulture)}" : rule.Count.ToString(CultureInfo.InvariantCulture),
        "rule" => rule.Name,
        "severity" => AlertSeverities.Name(rule.Severity),
        "window" => Durations.Format(rule.Window),
        _ => subject.Labels.TryGetValue(name.ToString(), out var label) ? label : null,
    };
}
