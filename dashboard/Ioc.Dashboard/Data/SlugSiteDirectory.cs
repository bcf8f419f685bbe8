using System.Collections.Concurrent;
using System.Globalization;

namespace Ioc.Dashboard.Data;

/// <summary>
/// Names read from the slugs alone: the district from <see cref="Province"/>, the rest title-cased without diacritics
/// (<c>thanh-ha-an-son</c> → "Thanh Hà · An Son"). Used until sites are registered with their names.
/// </summary>
public sealed class SlugSiteDirectory : ISiteDirectory
{
    private readonly ConcurrentDictionary<string, SiteInfo> _sites = new(StringComparer.Ordinal);

    public IReadOnlyCollection<SiteInfo> Sites => [.. _sites.Values];

    public SiteInfo? Find(string site) => string.IsNullOrEmpty(site) ? null : _sites.GetOrAdd(site, Guess);

    public District? DistrictOf(string? site) => string.IsNullOrEmpty(site) ? null : Province.DistrictOf(site);

    public string DisplayName(string? site, CultureInfo culture)
    {
        if (string.IsNullOrEmpty(site))
        {
            return string.Empty;
        }

        var info = Find(site)!;
        var district = DistrictOf(site);
        if (district is null)
        {
            return info.Name(culture);
        }

        return site == district.Slug ? district.Name(culture) : $"{district.Name(culture)} · {info.Name(culture)}";
    }

    private static SiteInfo Guess(string site)
    {
        var district = Province.DistrictOf(site);
        var rest = district is null ? site : site == district.Slug ? string.Empty : site[(district.Slug.Length + 1)..];
        var words = rest.Split('-', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => char.ToUpperInvariant(w[0]) + w[1..]);
        var name = string.Join(' ', words);
        if (name.Length == 0 && district is not null)
        {
            return new SiteInfo(site, district.NameVi, district.NameEn, district.Slug);
        }

        return new SiteInfo(site, name, name, district?.Slug);
    }
}
