using Ioc.Simulators.Fleet;

namespace Ioc.Simulators.Tests.Shared;

/// <summary>A two-district fleet small enough for one connection per device in a test.</summary>
internal static class SmallFleet
{
    public static FleetSpec Spec { get; } = FleetSpec.HaiDuong with
    {
        Districts = [new("thanh-ha", "Thanh Hà", "TH", 3), new("tu-ky", "Tứ Kỳ", "TK", 2)],
        Departments = ["Sở Thông tin và Truyền thông"],
        MinApsPerCommune = 1,
        MaxApsPerCommune = 2,
        ApsPerDistrictCenter = 1,
        DataCenterRows = 1,
        RacksPerRow = 2,
        ServersPerRack = 2,
        UpsUnits = 1,
    };

    public static FleetDefinition Create() => FleetGenerator.Generate(Spec, TestFleets.Seed);
}
