using Ioc.Simulators.Fleet;

namespace Ioc.ScenarioTests.Shared;

/// <summary>
/// Two districts (Thanh Hà, Tứ Kỳ), the province core and a two-row data center with two UPS units: small enough
/// to run a simulated hour in seconds, large enough for every scenario's default targets and for a district composite.
/// </summary>
internal static class ScenarioFleet
{
    public const int Seed = 42;

    /// <summary>A Tuesday, 19:00 in Hải Dương (12:00 UTC); the engine's fake clock starts here too.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    public static FleetSpec Spec { get; } = FleetSpec.HaiDuong with
    {
        Districts = [new("thanh-ha", "Thanh Hà", "TH", 3), new("tu-ky", "Tứ Kỳ", "TK", 2)],
        Departments = ["Sở Thông tin và Truyền thông"],
        MinApsPerCommune = 1,
        MaxApsPerCommune = 2,
        ApsPerDistrictCenter = 1,
        DataCenterRows = 2,
        RacksPerRow = 2,
        ServersPerRack = 1,
        UpsUnits = 2,
    };

    private static readonly Lazy<FleetDefinition> LazyFleet = new(() => FleetGenerator.Generate(Spec, Seed));

    public static FleetDefinition Fleet => LazyFleet.Value;
}
