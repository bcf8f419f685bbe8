using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Ioc.Dashboard.Data;

/// <summary>A point in the map's view box (1000 units wide, y down).</summary>
public readonly record struct MapPoint(double X, double Y)
{
    public string Svg => string.Create(CultureInfo.InvariantCulture, $"{X:0.#},{Y:0.#}");
}

/// <summary>One district-level unit on the map: its outline (one or more rings), the seat and where its label goes.</summary>
public sealed record MapDistrict(string Slug, IReadOnlyList<IReadOnlyList<MapPoint>> Rings, MapPoint Seat, MapPoint Label)
{
    /// <summary>SVG path data of the rings.</summary>
    public string Path { get; } = string.Join(' ', Rings.Select(r => "M" + string.Join(" L", r.Select(p => p.Svg)) + " Z"));

    public bool Contains(MapPoint point) => Rings.Any(r => Inside(r, point));

    private static bool Inside(IReadOnlyList<MapPoint> ring, MapPoint p)
    {
        var inside = false;
        for (int i = 0, j = ring.Count - 1; i < ring.Count; j = i++)
        {
            if ((ring[i].Y > p.Y) != (ring[j].Y > p.Y)
                && p.X < ((ring[j].X - ring[i].X) * (p.Y - ring[i].Y) / (ring[j].Y - ring[i].Y)) + ring[i].X)
            {
                inside = !inside;
            }
        }

        return inside;
    }
}

/// <summary>
/// The province drawn from its geography (docs/geography.md): the outline and the 12 district shapes, projected into a
/// view box, shipped in the assembly (<c>Data/Geography/hai-duong.map.json</c>, made by
/// <c>scripts/geo/derive_province_map.py</c>); nothing is fetched at run time.
/// </summary>
public sealed class ProvinceMap
{
    private const string ResourceName = "Ioc.Dashboard.Geography.hai-duong.map.json";
    private static readonly Lazy<ProvinceMap> Shipped = new(Load);
    private readonly Dictionary<string, MapDistrict> _bySlug;

    private ProvinceMap(string method, string source, double width, double height, string outline, IReadOnlyList<MapDistrict> districts)
    {
        Method = method;
        Source = source;
        Width = width;
        Height = height;
        Outline = outline;
        Districts = districts;
        _bySlug = districts.ToDictionary(d => d.Slug, StringComparer.Ordinal);
    }

    public static ProvinceMap Default => Shipped.Value;

    /// <summary><c>tessellation</c> (district = area nearest its seat, inside the outline) or <c>boundaries</c> (real district boundaries).</summary>
    public string Method { get; }

    /// <summary>
    /// Where the geometry comes from: <c>natural-earth</c> (the province outline, public domain), <c>openstreetmap</c> or
    /// <c>geoboundaries</c> (district boundaries), <c>hand</c> (an outline placed by hand).
    /// </summary>
    public string Source { get; }

    /// <summary>The resource key of the credit line under the map: names the source and says whether district shapes are approximate.</summary>
    public string CreditKey => (Method, Source) switch
    {
        ("boundaries", "geoboundaries") => "CreditGeoBoundaries",
        ("boundaries", _) => "CreditOsm",
        (_, "natural-earth") => "CreditNaturalEarth",
        _ => "CreditTessellation",
    };

    public double Width { get; }

    public double Height { get; }

    /// <summary>SVG path data of the province outline.</summary>
    public string Outline { get; }

    public IReadOnlyList<MapDistrict> Districts { get; }

    public MapDistrict? Find(string slug) => _bySlug.GetValueOrDefault(slug);

    /// <summary>
    /// Where a commune (site) is drawn: no commune coordinates ship with the project, so the position is derived from the
    /// site's slug — the same slug always lands on the same point, inside its district and clear of the label and seat.
    /// A site named after its district (the district hub) sits on the district seat.
    /// </summary>
    public MapPoint PlaceSite(string districtSlug, string site)
    {
        if (Find(districtSlug) is not { } district)
        {
            return new MapPoint(Width / 2, Height / 2);
        }

        if (site == districtSlug)
        {
            return district.Seat;
        }

        var ring = district.Rings.MaxBy(r => r.Count)!;
        var (minX, maxX) = (ring.Min(p => p.X), ring.Max(p => p.X));
        var (minY, maxY) = (ring.Min(p => p.Y), ring.Max(p => p.Y));
        var random = new Random(StableHash(site));
        MapPoint? fallback = null;
        for (var attempt = 0; attempt < 400; attempt++)
        {
            var candidate = new MapPoint(minX + (random.NextDouble() * (maxX - minX)), minY + (random.NextDouble() * (maxY - minY)));
            if (!district.Contains(candidate))
            {
                continue;
            }

            fallback ??= candidate;
            if (Distance(candidate, district.Label) > 70 && Distance(candidate, district.Seat) > 24 && Margin(ring, candidate) > 10)
            {
                return candidate;
            }
        }

        return fallback ?? district.Label;
    }

    private static double Distance(MapPoint a, MapPoint b) => Math.Sqrt(((a.X - b.X) * (a.X - b.X)) + ((a.Y - b.Y) * (a.Y - b.Y)));

    /// <summary>Distance from the point to the nearest edge of the ring.</summary>
    private static double Margin(IReadOnlyList<MapPoint> ring, MapPoint p)
    {
        var best = double.MaxValue;
        for (int i = 0, j = ring.Count - 1; i < ring.Count; j = i++)
        {
            var (a, b) = (ring[j], ring[i]);
            var (dx, dy) = (b.X - a.X, b.Y - a.Y);
            var length = (dx * dx) + (dy * dy);
            var t = length == 0 ? 0 : Math.Clamp((((p.X - a.X) * dx) + ((p.Y - a.Y) * dy)) / length, 0, 1);
            best = Math.Min(best, Distance(p, new MapPoint(a.X + (t * dx), a.Y + (t * dy))));
        }

        return best;
    }

    /// <summary>FNV-1a over the UTF-8 bytes: stable across processes and runtimes (string.GetHashCode is not).</summary>
    private static int StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return unchecked((int)hash);
    }

    private static ProvinceMap Load()
    {
        using var stream = typeof(ProvinceMap).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing from the dashboard assembly");
        using var json = JsonDocument.Parse(stream);
        var root = json.RootElement;
        var districts = root.GetProperty("districts").EnumerateArray().Select(d => new MapDistrict(
            d.GetProperty("slug").GetString()!,
            [.. d.GetProperty("rings").EnumerateArray().Select(r => (IReadOnlyList<MapPoint>)[.. r.EnumerateArray().Select(ReadPoint)])],
            ReadPoint(d.GetProperty("seat")),
            ReadPoint(d.GetProperty("label")))).ToList();
        return new ProvinceMap(
            root.GetProperty("method").GetString()!,
            root.TryGetProperty("source", out var source) ? source.GetString()! : "hand",
            root.GetProperty("width").GetDouble(),
            root.GetProperty("height").GetDouble(),
            root.GetProperty("outline").GetString()!,
            districts);
    }

    private static MapPoint ReadPoint(JsonElement e) => new(e[0].GetDouble(), e[1].GetDouble());
}
