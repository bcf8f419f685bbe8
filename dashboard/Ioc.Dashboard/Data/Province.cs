namespace Ioc.Dashboard.Data;

/// <summary>
/// A district-level unit of the province. Column and row order the districts in grids and schematics (the topology page);
/// where the district lies on the wall map comes from its geography (<see cref="ProvinceMap"/>, docs/geography.md).
/// </summary>
public sealed record District(string Slug, string NameVi, string NameEn, int Column, int Row)
{
    public string Name(System.Globalization.CultureInfo culture) =>
        culture.TwoLetterISOLanguageName == "vi" ? NameVi : NameEn;
}

/// <summary>
/// Hải Dương's 12 district-level units. A site belongs to a district when its slug is the district's slug or starts
/// with it followed by '-' (<c>thanh-ha</c>, <c>thanh-ha-thanh-son</c>); the provincial data center belongs to none.
/// </summary>
public static class Province
{
    /// <summary>The province's shape and its districts' shapes, for the wall map.</summary>
    public static ProvinceMap Map => ProvinceMap.Default;

    public static IReadOnlyList<District> Districts { get; } =
    [
        new("chi-linh", "TP. Chí Linh", "Chi Linh City", 2, 0),
        new("kinh-mon", "TX. Kinh Môn", "Kinh Mon Town", 4, 0),
        new("nam-sach", "Nam Sách", "Nam Sach", 2, 1),
        new("kim-thanh", "Kim Thành", "Kim Thanh", 4, 1),
        new("cam-giang", "Cẩm Giàng", "Cam Giang", 0, 1),
        new("hai-duong", "TP. Hải Dương", "Hai Duong City", 1, 1),
        new("thanh-ha", "Thanh Hà", "Thanh Ha", 3, 1),
        new("binh-giang", "Bình Giang", "Binh Giang", 0, 2),
        new("gia-loc", "Gia Lộc", "Gia Loc", 1, 2),
        new("tu-ky", "Tứ Kỳ", "Tu Ky", 2, 2),
        new("thanh-mien", "Thanh Miện", "Thanh Mien", 0, 3),
        new("ninh-giang", "Ninh Giang", "Ninh Giang", 1, 3),
    ];

    public static District? DistrictOf(string site)
    {
        District? best = null;
        foreach (var district in Districts)
        {
            if ((site == district.Slug || site.StartsWith(district.Slug + "-", StringComparison.Ordinal))
                && (best is null || district.Slug.Length > best.Slug.Length))
            {
                best = district;
            }
        }

        return best;
    }
}
