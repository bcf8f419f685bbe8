namespace Ioc.Simulators.Fleet;

/// <summary>A district to generate: its id, Vietnamese name, device-id code and number of communes.</summary>
public sealed record DistrictSpec(string Id, string Name, string Code, int Communes);

/// <summary>
/// How many of everything <see cref="FleetGenerator"/> builds. <see cref="HaiDuong"/> is the default province;
/// every count can be changed in a spec file (see docs/simulators.md).
/// </summary>
public sealed record FleetSpec
{
    public string Province { get; init; } = "Hải Dương";

    public IReadOnlyList<DistrictSpec> Districts { get; init; } = [];

    public IReadOnlyList<string> Departments { get; init; } = [];

    /// <summary>Public Wi-Fi access points per commune: a seeded draw between min and max inclusive.</summary>
    public int MinApsPerCommune { get; init; } = 2;

    public int MaxApsPerCommune { get; init; } = 5;

    /// <summary>Access points at each district center (the district People's Committee, its square).</summary>
    public int ApsPerDistrictCenter { get; init; } = 3;

    public int AggregationSwitchesPerDistrict { get; init; } = 2;

    public int CoreRouters { get; init; } = 2;

    public int CoreSwitches { get; init; } = 2;

    public int ApsPerDepartment { get; init; } = 2;

    public int DataCenterRows { get; init; } = 4;

    public int RacksPerRow { get; init; } = 6;

    public int ServersPerRack { get; init; } = 8;

    public int UpsUnits { get; init; } = 4;

    /// <summary>Cooling units per row (in-row CRAC); each row's inlet temperatures follow its own units.</summary>
    public int CracPerRow { get; init; } = 1;

    public IEnumerable<string> Validate()
    {
        if (Districts.Count == 0)
        {
            yield return "Districts must list at least one district.";
        }

        foreach (var d in Districts.Where(d => d.Communes < 0 || string.IsNullOrWhiteSpace(d.Code)))
        {
            yield return $"District '{d.Id}' needs a code and a commune count ≥ 0.";
        }

        if (MinApsPerCommune < 0 || MaxApsPerCommune < MinApsPerCommune)
        {
            yield return "MinApsPerCommune must be ≥ 0 and ≤ MaxApsPerCommune.";
        }

        if (DataCenterRows is < 1 or > 26 || RacksPerRow is < 1 or > 99 || ServersPerRack is < 0 or > 99 || UpsUnits < 1 || CracPerRow < 1)
        {
            yield return "Data center needs 1–26 rows, 1–99 racks per row, 0–99 servers per rack, ≥ 1 UPS and ≥ 1 CRAC per row.";
        }
    }

    /// <summary>Hải Dương: 12 district-level units, 235 communes, 19 departments.</summary>
    public static FleetSpec HaiDuong { get; } = new()
    {
        Districts =
        [
            new("hai-duong", "Thành phố Hải Dương", "HD", 25),
            new("chi-linh", "Chí Linh", "CL", 19),
            new("kinh-mon", "Kinh Môn", "KM", 23),
            new("binh-giang", "Bình Giang", "BG", 17),
            new("cam-giang", "Cẩm Giàng", "CG", 18),
            new("gia-loc", "Gia Lộc", "GL", 20),
            new("kim-thanh", "Kim Thành", "KT", 20),
            new("nam-sach", "Nam Sách", "NS", 19),
            new("ninh-giang", "Ninh Giang", "NG", 22),
            new("thanh-ha", "Thanh Hà", "TH", 20),
            new("thanh-mien", "Thanh Miện", "TM", 16),
            new("tu-ky", "Tứ Kỳ", "TK", 16),
        ],
        Departments =
        [
            "Văn phòng UBND tỉnh", "Văn phòng Đoàn ĐBQH và HĐND tỉnh", "Sở Nội vụ", "Sở Tư pháp", "Sở Kế hoạch và Đầu tư",
            "Sở Tài chính", "Sở Công Thương", "Sở Nông nghiệp và Phát triển nông thôn", "Sở Giao thông vận tải", "Sở Xây dựng",
            "Sở Tài nguyên và Môi trường", "Sở Thông tin và Truyền thông", "Sở Lao động - Thương binh và Xã hội",
            "Sở Văn hóa, Thể thao và Du lịch", "Sở Khoa học và Công nghệ", "Sở Giáo dục và Đào tạo", "Sở Y tế", "Sở Ngoại vụ",
            "Thanh tra tỉnh",
        ],
    };
}
