using Ioc.Simulators.Fleet;
using Ioc.Simulators.Tests.Shared;

namespace Ioc.Simulators.Tests.Fleet;

public sealed class FleetFileTests
{
    [Fact]
    public void Parse_SerializedFleet_MatchesGeneratedFleet()
    {
        // Arrange
        var json = FleetFile.Serialize(TestFleets.Default);

        // Act
        var loaded = FleetFile.Parse(json, defaultSeed: 0);

        // Assert
        Assert.Equal(json, FleetFile.Serialize(loaded));
        Assert.Equal(TestFleets.Default.Devices.Count, loaded.Devices.Count);
        Assert.Equal("Hải Dương", loaded.Province);
        Assert.Equal("Tứ Kỳ", loaded.FindDistrict("tu-ky")!.Name);
    }

    [Fact]
    public void Parse_SpecFileWithSeed_GeneratesTheSameFleetAsTheGenerator()
    {
        // Arrange
        var spec = FleetSpec.HaiDuong with { MinApsPerCommune = 1, MaxApsPerCommune = 1, DataCenterRows = 2 };
        var file = FleetFile.SerializeSpec(spec, seed: 9);

        // Act
        var loaded = FleetFile.Parse(file, defaultSeed: 1);

        // Assert
        Assert.Equal(FleetFile.Serialize(FleetGenerator.Generate(spec, 9)), FleetFile.Serialize(loaded));
        Assert.Equal(235, loaded.Devices.Count(d => d.Tag("commune") is not null && d.Type == "wifi-ap"));
    }

    [Fact]
    public void Parse_DeviceWithUnknownSite_RefusedNamingTheDevice()
    {
        // Arrange
        const string json = """
            {"version":1,"province":"X","districts":[{"id":"a","name":"A","code":"A"}],
             "sites":[{"id":"core","name":"Core","kind":"Core","district":"tinh"}],
             "devices":[{"id":"R1","type":"router","site":"nowhere","district":"tinh","tags":{}}]}
            """;

        // Act
        var ex = Assert.Throws<InvalidDataException>(() => FleetFile.Parse(json, 1));

        // Assert
        Assert.Contains("device 'R1' names unknown site 'nowhere'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WrongVersion_Refused()
    {
        var ex = Assert.Throws<InvalidDataException>(() => FleetFile.Parse("""{"version":2}""", 1));
        Assert.Contains("version 2", ex.Message, StringComparison.Ordinal);
    }
}
