using System.Text.Json;
using System.Text.Json.Serialization;
using Ioc.Contract.Text;

namespace Ioc.Simulators.Fleet;

/// <summary>
/// One line of a sites file (the format <c>sites import FILE</c> of the collector host reads): a site's slug, its names
/// in Vietnamese and English, its district and its kind (<c>core</c>, <c>data-center</c>, <c>district</c>, <c>commune</c>,
/// <c>department</c>).
/// </summary>
public sealed record SiteName(
    [property: JsonPropertyName("slug")] string Slug,
    [property: JsonPropertyName("nameVi")] string NameVi,
    [property: JsonPropertyName("nameEn")] string NameEn,
    [property: JsonPropertyName("district")] string? District,
    [property: JsonPropertyName("kind")] string Kind);

/// <summary>
/// The sites of a simulated fleet with their names, for the site registry: a commune is its name without "Xã"
/// ("An Sơn"), a district center the district's name ("Thanh Hà"), the provincial sites their own names. English names
/// are the Vietnamese ones without diacritics ("Thanh Ha"), with "City"/"Town" for a city or town.
/// </summary>
public static class FleetSites
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IReadOnlyList<SiteName> Names(FleetDefinition fleet)
    {
        var districts = fleet.Districts.ToDictionary(d => d.Id, StringComparer.Ordinal);
        var list = new List<SiteName>(fleet.Sites.Count);
        foreach (var site in fleet.Sites)
        {
            var district = site.District == FleetDefinition.ProvinceDistrict ? null : site.District;
            list.Add(site.Kind switch
            {
                SiteKind.Core => new SiteName(site.Id, site.Name, "Provincial core network", null, "core"),
                SiteKind.DataCenter => new SiteName(site.Id, site.Name, "Provincial data center", null, "data-center"),
                SiteKind.DistrictCenter when districts.TryGetValue(site.District, out var d) => new SiteName(site.Id, d.Name, English(d.Name), site.District, "district"),
                SiteKind.Commune => new SiteName(site.Id, WithoutPrefix(site.Name, "Xã "), English(WithoutPrefix(site.Name, "Xã ")), district, "commune"),
                SiteKind.Department => new SiteName(site.Id, site.Name, English(site.Name), null, "department"),
                _ => new SiteName(site.Id, site.Name, English(site.Name), district, "other"),
            });
        }

        return list;
    }

    public static string Serialize(IReadOnlyList<SiteName> sites) => JsonSerializer.Serialize(sites, Json);

    /// <summary>"Thành phố Hải Dương" → "Hai Duong City", "Thị xã Kinh Môn" → "Kinh Mon Town", "Tứ Kỳ" → "Tu Ky".</summary>
    public static string English(string vietnamese)
    {
        foreach (var (prefix, suffix) in new[] { ("Thành phố ", " City"), ("Thị xã ", " Town"), ("Huyện ", string.Empty) })
        {
            if (vietnamese.StartsWith(prefix, StringComparison.Ordinal))
            {
                return English(vietnamese[prefix.Length..]) + suffix;
            }
        }

        return TextFold.StripDiacritics(vietnamese);
    }

    private static string WithoutPrefix(string name, string prefix) =>
        name.StartsWith(prefix, StringComparison.Ordinal) ? name[prefix.Length..] : name;
}
