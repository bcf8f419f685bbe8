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

/// <summary>A rules file that cannot be used; the message lists every problem, each with the rule id.</summary>
public sealed class RuleValidationException(string source, IReadOnlyList<string> errors)
    : Exception($"Alert rules in '{source}' are invalid:{Environment.NewLine}  - {string.Join(Environment.NewLine + "  - ", errors)}")
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
