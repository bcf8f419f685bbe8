using System.Globalization;
using System.Text;
using Ioc.Alerting.Rules;
using Ioc.Alerting.Text;
using Ioc.Contract.Text;

namespace Ioc.Alerting.Evaluation;

/// <summary>
/// Fills a rule's <c>summary</c> template in Vietnamese and in English, naming the device, site and district in words:
/// <c>{subject} {device} {type} {site} {district} {place} {metric} {value} {unit} {threshold} {count} {window} {rule}
/// {severity}</c>, and any <c>groupBy</c> key of the rule (a tag or event attribute such as <c>{src_ip}</c>).
/// </summary>
public static class SummaryFormatter
{
    /// <summary>Placeholders every rule may use; <see cref="RuleLoader"/> refuses any other that is not one of the rule's <c>groupBy</c> keys.</summary>
    public static IReadOnlySet<string> Placeholders { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "subject", "device", "type", "site", "district", "place", "metric", "value", "unit", "threshold", "count", "window", "rule", "severity",
    };

    public static LocalizedText Render(LocalizedText template, AlertRule rule, Subject subject, double? value, ISiteNames sites) =>
        new(Format(template.Vi, Language.Vi, rule, subject, value, sites), Format(template.En, Language.En, rule, subject, value, sites));

    /// <summary>The placeholders of <paramref name="template"/>, in order.</summary>
    public static IEnumerable<string> PlaceholdersOf(string template)
    {
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            var close = open < 0 ? -1 : template.IndexOf('}', open + 1);
            if (close < 0)
            {
                yield break;
            }

            yield return template.Substring(open + 1, close - open - 1);
            i = close + 1;
        }
    }

    public static string Format(string template, Language language, AlertRule rule, Subject subject, double? value, ISiteNames sites)
    {
        var builder = new StringBuilder(template.Length + 32);
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            var close = open < 0 ? -1 : template.IndexOf('}', open + 1);
            if (close < 0)
            {
                builder.Append(template, i, template.Length - i);
                break;
            }

            builder.Append(template, i, open - i);
            var name = template.Substring(open + 1, close - open - 1);
            builder.Append(Resolve(name, language, rule, subject, value, sites) ?? template.Substring(open, close - open + 1));
            i = close + 1;
        }

        // A sentence that starts with a word in lower case ("{type} {device} …" → "tường lửa …") starts with a capital;
        // an empty placeholder leaves no double space.
        if (builder.Length > 0 && char.IsLower(builder[0]))
        {
            builder[0] = char.ToUpper(builder[0], AlertWords.Culture(language));
        }

        return builder.ToString().Replace("  ", " ", StringComparison.Ordinal).Replace(" )", ")", StringComparison.Ordinal);
    }

    /// <summary>The subject in words: "CORE-FW-EDGE (Lõi mạng tỉnh)", "Thanh Hà · An Sơn", "Thanh Hà", with its other keys ("path=/var").</summary>
    public static string SubjectWords(Subject subject, Language language, ISiteNames sites)
    {
        var place = AlertWords.Place(subject.Site, subject.District, sites, language);
        var main = subject.DeviceId is { } device
            ? $"{device} ({place})"
            : subject.Site is not null || subject.District is not null ? place : null;
        if (main is null)
        {
            return subject.Display;
        }

        return subject.Labels.Count == 0 ? main : main + " " + string.Join(' ', subject.Labels.Select(l => $"{l.Key}={l.Value}"));
    }

    private static string? Resolve(string name, Language language, AlertRule rule, Subject subject, double? value, ISiteNames sites) => name switch
    {
        "subject" => SubjectWords(subject, language, sites),
        "device" => subject.DeviceId ?? SubjectWords(subject, language, sites),
        "type" => AlertWords.DeviceType(subject.DeviceType, language),
        "site" => AlertWords.SiteName(subject.Site, subject.District, sites, language) ?? "-",
        "district" => AlertWords.DistrictName(subject.Site, subject.District, sites, language) ?? "-",
        "place" => AlertWords.Place(subject.Site, subject.District, sites, language),
        "metric" => rule.Metric ?? "-",
        "value" => value is { } v ? AlertWords.Number(v, language) : "-",
        "unit" => AlertWords.Unit(rule.Metric, language),
        "threshold" => rule.Comparison is { } c ? $"{c.Symbol} {AlertWords.Number(c.Trigger, language)}" : rule.Count.ToString(CultureInfo.InvariantCulture),
        "count" => rule.Count.ToString(CultureInfo.InvariantCulture),
        "window" => AlertWords.Duration(rule.Window, language),
        "rule" => AlertWords.Pick(rule.Name, language),
        "severity" => AlertWords.Severity(rule.Severity, language),
        _ => subject.Labels.TryGetValue(name, out var label) ? label : null,
    };
}
