using Ioc.Contract;

namespace Ioc.Alerting.Rules;

/// <summary>The validated rules and the site → district map, as loaded at start-up.</summary>
public sealed class RuleSet
{
    public RuleSet(IReadOnlyList<AlertRule> rules, IReadOnlyDictionary<string, string> siteDistricts, string source, IReadOnlyList<string>? districts = null)
    {
        Rules = rules;
        SiteDistricts = siteDistricts;
        Districts = (districts ?? []).OrderByDescending(d => d.Length).ToArray();
        Source = source;
        ById = rules.ToDictionary(r => r.Id, StringComparer.Ordinal);
    }

    public IReadOnlyList<AlertRule> Rules { get; }

    public IReadOnlyDictionary<string, AlertRule> ById { get; }

    public IReadOnlyDictionary<string, string> SiteDistricts { get; }

    /// <summary>Where the rules came from (a path, or a description in tests).</summary>
    public string Source { get; }

    /// <summary>District slugs for prefix matching, longest first.</summary>
    public IReadOnlyList<string> Districts { get; }

    /// <summary>The district of a device: the <c>sites</c> map, else the device's <c>district</c> tag, else the longest district slug prefixing the site.</summary>
    public string? DistrictOf(DeviceAddress device, string? districtTag)
    {
        if (SiteDistricts.TryGetValue(device.Site, out var district))
        {
            return district;
        }

        if (districtTag is not null)
        {
            return districtTag;
        }

        foreach (var candidate in Districts)
        {
            if (device.Site.StartsWith(candidate, StringComparison.Ordinal)
                && (device.Site.Length == candidate.Length || device.Site[candidate.Length] == '-'))
            {
                return candidate;
            }
        }

        return null;
    }
}

/// <summary>
/// One problem of a rule or rules file: the rule (its id, or its position when it has none), the key at fault
/// (<c>op</c>, <c>scope.sites</c>, <c>name</c>, …) and the message in English and Vietnamese.
/// </summary>
public sealed record RuleProblem(string? RuleId, string Field, string En, string Vi, int? Index = null)
{
    /// <summary>The message in Vietnamese when <paramref name="vietnamese"/>, else English, prefixed by the rule it is about.</summary>
    public string Describe(bool vietnamese) =>
        (RuleId, Index) switch
        {
            ({ } id, _) => vietnamese ? $"quy tắc '{id}': {Vi}" : $"rule '{id}': {En}",
            (null, { } index) => vietnamese ? $"quy tắc #{index}: {Vi}" : $"rule #{index}: {En}",
            _ => vietnamese ? Vi : En,
        };

    /// <summary>The message alone in the UI culture (Vietnamese for <c>vi</c>, English otherwise).</summary>
    public string Text(System.Globalization.CultureInfo culture) => culture.TwoLetterISOLanguageName == "vi" ? Vi : En;
}

/// <summary>A rules file that cannot be used; the message lists every problem, each with the rule id.</summary>
public sealed class RuleValidationException(string source, IReadOnlyList<RuleProblem> problems)
    : Exception($"Alert rules in '{source}' are invalid:{Environment.NewLine}  - {string.Join(Environment.NewLine + "  - ", problems.Select(p => p.Describe(false)))}")
{
    /// <summary>Every problem in English, each prefixed by its rule (as the file's loader has always reported them).</summary>
    public IReadOnlyList<string> Errors { get; } = [.. problems.Select(p => p.Describe(false))];

    public IReadOnlyList<RuleProblem> Problems { get; } = problems;
}
