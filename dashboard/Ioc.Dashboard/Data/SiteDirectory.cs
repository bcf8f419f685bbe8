using System.Globalization;

namespace Ioc.Dashboard.Data;

/// <summary>A site of the fleet (a commune, a district centre, a department, the data center) by its topic slug.</summary>
public sealed record SiteInfo(string Slug, string NameVi, string NameEn, string? DistrictSlug)
{
    public string Name(CultureInfo culture) => culture.TwoLetterISOLanguageName == "vi" ? NameVi : NameEn;
}

/// <summary>
/// Display names of sites and districts, in words and with diacritics ("Thanh Hà · An Sơn" for <c>thanh-ha-an-son</c>).
/// Every page that shows a site shows <see cref="DisplayName"/>, never the slug.
/// </summary>
public interface ISiteDirectory
{
    /// <summary>The site, or null when the directory does not know it.</summary>
    SiteInfo? Find(string site);

    /// <summary>"District · Site" in the culture's language (only the district for a district's own site); the slug when unknown.</summary>
    string DisplayName(string? site, CultureInfo culture);

    /// <summary>The district the site belongs to; null for the provincial data center and departments.</summary>
    District? DistrictOf(string? site);

    IReadOnlyCollection<SiteInfo> Sites { get; }
}
