using System.Globalization;
using Ioc.Contract.Alerts;
using Ioc.Contract.Text;
using Ioc.Dashboard.Data;

namespace Ioc.Dashboard.Components.Controls;

/// <summary>
/// An alert as a page shows it: its device, site and district in words for people (device id and its type, the site's
/// display name, the district's name; never a slug), and the console's free-text match over those words, with or
/// without diacritics. The words for codes (device types) are the dashboard's one catalogue, <see cref="Vocabulary"/>;
/// the engine's texts are written with its own <c>Ioc.Alerting.Text.AlertWords</c>. One per page: it keeps the folded
/// words of the alerts it has matched.
/// </summary>
public sealed class AlertDisplay(ISiteDirectory sites, Vocabulary vocabulary)
{
    private const int MaxFolded = 50_000;
    private readonly Dictionary<long, (DateTimeOffset Version, string Text)> _folded = [];

    private static CultureInfo Culture => CultureInfo.CurrentUICulture;

    /// <summary>"TH-AP-0001 · Điểm phát Wi-Fi", or null when the alert is not about one device.</summary>
    public string? Device(Alert alert) => alert.DeviceId is null
        ? null
        : string.IsNullOrEmpty(alert.DeviceType) ? alert.DeviceId : $"{alert.DeviceId} · {vocabulary.DeviceType(alert.DeviceType)}";

    /// <summary>"Thanh Hà · An Sơn", or null when the alert names no site.</summary>
    public string? Site(Alert alert) => string.IsNullOrEmpty(alert.Site) ? null : sites.DisplayName(alert.Site, Culture);

    public District? DistrictOf(Alert alert) =>
        sites.DistrictOf(alert.Site) ?? (alert.District is { } slug ? Province.Districts.FirstOrDefault(d => d.Slug == slug) : null);

    /// <summary>"Thanh Hà", or null when the alert is in no district (the provincial data center).</summary>
    public string? District(Alert alert) => DistrictOf(alert)?.Name(Culture) ?? alert.District;

    /// <summary>What the alert is about, in words: the device, else the site, else the district, else its labels.</summary>
    public string Title(Alert alert) =>
        Device(alert) ?? Site(alert) ?? District(alert) ?? Labels(alert) ?? alert.Subject;

    /// <summary>Where: the site (with its district), else the district, else what the labels say, else a dash.</summary>
    public string Place(Alert alert) => Site(alert) ?? District(alert) ?? Labels(alert) ?? "—";

    /// <summary>True when every word of <paramref name="query"/> is in the alert's summary, device, type, site, district or rule, folded.</summary>
    public bool Matches(string? query, Alert alert) =>
        TextFold.Matches(query, alert.Summary, alert.Texts?.Summary.En, alert.Subject, alert.DeviceId, TypeName(alert), Site(alert), District(alert), alert.RuleName, Labels(alert));

    /// <summary>
    /// <see cref="Matches(string?, Alert)"/> for a query folded once (<see cref="QueryWords"/>) over thousands of alerts: each
    /// alert's words are folded once per version of the alert and kept, so a refresh does not fold them again.
    /// </summary>
    public bool Matches(string[] queryWords, Alert alert)
    {
        if (queryWords.Length == 0)
        {
            return true;
        }

        if (!_folded.TryGetValue(alert.Id, out var entry) || entry.Version != alert.UpdatedAt)
        {
            // One text per line: a word of the query never spans two of them (TextFold.Matches looks in each text alone).
            var text = string.Join('\n', alert.Summary, alert.Texts?.Summary.En, alert.Subject, alert.DeviceId, TypeName(alert), Site(alert), District(alert), alert.RuleName, Labels(alert));
            entry = (alert.UpdatedAt, TextFold.Fold(text).Replace('-', ' '));
            if (_folded.Count >= MaxFolded)
            {
                _folded.Clear();
            }

            _folded[alert.Id] = entry;
        }

        foreach (var word in queryWords)
        {
            if (!entry.Text.Contains(word, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The words of a search, folded, split as <see cref="TextFold.Matches"/> splits them; empty for no search.</summary>
    public static string[] QueryWords(string? query) =>
        TextFold.Fold(query).Split([' ', '\t', '-', '·', ',', '/'], StringSplitOptions.RemoveEmptyEntries);

    private string? TypeName(Alert alert) => string.IsNullOrEmpty(alert.DeviceType) ? null : vocabulary.DeviceType(alert.DeviceType);

    private static string? Labels(Alert alert) =>
        alert.Labels.Count == 0 ? null : string.Join(", ", alert.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key} {l.Value}"));
}
