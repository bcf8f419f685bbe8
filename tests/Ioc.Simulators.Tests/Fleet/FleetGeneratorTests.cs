using Ioc.Contract;
using Ioc.Simulators.Fleet;
using Ioc.Simulators.Tests.Shared;

namespace Ioc.Simulators.Tests.Fleet;

public sealed class FleetGeneratorTests
{
    private static readonly string[] HaiDuongDistricts =
        ["hai-duong", "chi-linh", "kinh-mon", "binh-giang", "cam-giang", "gia-loc", "kim-thanh", "nam-sach", "ninh-giang", "thanh-ha", "thanh-mien", "tu-ky"];

    [Fact]
    public void Generate_SameSeed_IdenticalFleetFile()
    {
        // Arrange / Act
        var first = FleetFile.Serialize(FleetGenerator.Generate(FleetSpec.HaiDuong, 7));
        var second = FleetFile.Serialize(FleetGenerator.Generate(FleetSpec.HaiDuong, 7));

        // Assert
        Assert.Equal(first, second);
    }

    [Fact]
    public void Generate_DifferentSeed_DifferentCommunesAndAccessPoints()
    {
        // Arrange / Act
        var a = FleetFile.Serialize(FleetGenerator.Generate(FleetSpec.HaiDuong, 1));
        var b = FleetFile.Serialize(FleetGenerator.Generate(FleetSpec.HaiDuong, 2));

        // Assert
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Generate_HaiDuong_TwelveDistricts235Communes19DepartmentsDcAndCore()
    {
        // Arrange
        var fleet = TestFleets.Default;

        // Assert
        Assert.Equal(HaiDuongDistricts, fleet.Districts.Select(d => d.Id));
        Assert.Equal(12, fleet.SitesOfKind(SiteKind.DistrictCenter).Count());
        Assert.Equal(235, fleet.SitesOfKind(SiteKind.Commune).Count());
        Assert.Equal(19, fleet.SitesOfKind(SiteKind.Department).Count());
        Assert.Equal(SiteKind.DataCenter, fleet.FindSite("dc-tinh")!.Kind);
        Assert.Equal(SiteKind.Core, fleet.FindSite("core")!.Kind);
        Assert.Equal("Tứ Kỳ", fleet.FindDistrict("tu-ky")!.Name);
        Assert.Empty(fleet.Validate());
    }

    [Fact]
    public void Generate_HaiDuong_EveryDeviceTypeWithPlausibleCounts()
    {
        // Arrange
        var byType = TestFleets.Default.Devices.GroupBy(d => d.Type).ToDictionary(g => g.Key, g => g.Count());

        // Assert
        // Every device type a province's hardware has; `collector` is Ioc's own collectors reporting on themselves.
        Assert.Equal(DeviceTypes.All.Where(t => t != DeviceTypes.Collector).Order(), byType.Keys.Order());
        Assert.InRange(byType[DeviceTypes.WifiAccessPoint], (235 * 2) + 36, (235 * 5) + 74);
        Assert.Equal(235 + (12 * 2) + 2 + 19, byType[DeviceTypes.Switch]);
        Assert.Equal(4 * 6 * 8, byType[DeviceTypes.Server]);
        Assert.Equal(4 * 6 * 2, byType[DeviceTypes.Pdu]);
        Assert.Equal(4, byType[DeviceTypes.Ups]);
        Assert.Equal(4, byType[DeviceTypes.Cooling]);
        Assert.Equal(24, byType[DeviceTypes.EnvironmentSensor]);
    }

    [Fact]
    public void Generate_Topology_CommunesUnderTheirDistrictCenterUnderCore()
    {
        // Arrange
        var fleet = TestFleets.Default;

        // Act
        var districtCenters = fleet.Children("core").Where(s => s.Kind == SiteKind.DistrictCenter).ToList();

        // Assert
        Assert.Equal(12, districtCenters.Count);
        Assert.Equal(235, districtCenters.Sum(d => fleet.Children(d.Id).Count));
        Assert.All(districtCenters, d => Assert.All(fleet.Children(d.Id), c =>
        {
            Assert.Equal(SiteKind.Commune, c.Kind);
            Assert.Equal(d.District, c.District);
            Assert.StartsWith(d.Id + "-", c.Id, StringComparison.Ordinal);
        }));
        Assert.Equal(25, fleet.Children("hai-duong").Count);
    }

    [Fact]
    public void Generate_DataCenterDevices_CarryRowAndRackTags()
    {
        // Arrange
        var server = TestFleets.Default.FindDevice("DC-B03-SRV05")!;
        var sensor = TestFleets.Default.FindDevice("DC-B03-ENV")!;
        var crac = TestFleets.Default.FindDevice("DC-CRAC-B1")!;

        // Assert
        Assert.Equal(("dc-tinh", "B", "B03"), (server.Site, server.Tag("row"), server.Tag("rack")));
        Assert.Equal(("B", "B03"), (sensor.Tag("row"), sensor.Tag("rack")));
        Assert.Equal("B", crac.Tag("row"));
        Assert.Equal(FleetDefinition.ProvinceDistrict, server.District);
    }

    [Fact]
    public void Generate_EveryDataCenterDevice_CarriesARowForTheFloorPlan()
    {
        // Arrange
        var dataCenter = TestFleets.Default.Devices.Where(d => d.Site == FleetGenerator.DataCenterSite).ToList();

        // Assert: UPS units stand at the row ends in turn, so nothing is left off the floor plan.
        Assert.NotEmpty(dataCenter);
        Assert.All(dataCenter, d => Assert.NotNull(d.Tag("row")));
        Assert.Equal(["A", "B", "C", "D"], TestFleets.Default.Devices.Where(d => d.Type == DeviceTypes.Ups).OrderBy(d => d.Id, StringComparer.Ordinal).Select(d => d.Tag("row")!));
    }

    [Fact]
    public void FindDevice_ByTopicAddress_ReturnsDistrictForAlertRules()
    {
        // Arrange
        var ap = TestFleets.Default.Devices.First(d => d.District == "thanh-ha" && d.Type == DeviceTypes.WifiAccessPoint);

        // Act
        var found = TestFleets.Default.FindDevice(new DeviceAddress(ap.Site, ap.Type, ap.Id));
        var wrongSite = TestFleets.Default.FindDevice(new DeviceAddress("tu-ky", ap.Type, ap.Id));

        // Assert
        Assert.Equal("thanh-ha", found!.District);
        Assert.Null(wrongSite);
    }

    [Fact]
    public void Slug_VietnameseNames_LowercaseAsciiSlugs()
    {
        Assert.Equal("tu-ky", Slug.From("Tứ Kỳ"));
        Assert.Equal("thanh-pho-hai-duong", Slug.From("Thành phố Hải Dương"));
        Assert.Equal("dong-lac", Slug.From("Đồng Lạc"));
        Assert.Equal("so-van-hoa-the-thao-va-du-lich", Slug.From("Sở Văn hóa, Thể thao và Du lịch"));
    }
}
