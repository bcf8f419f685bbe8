using Ioc.Contract;
using Ioc.Contract.Alerts;
using Ioc.Contract.Model;
using Ioc.Dashboard.Configuration;
using Ioc.Dashboard.Data;
using Ioc.Dashboard.Live;
using Xunit;

namespace Ioc.Dashboard.Tests.Data;

public sealed class DataCenterFloorTests
{
    private static readonly DataCenterOptions Options = new();
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 3, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("DC-CRAC-B1", "cooling", "B", null)]
    [InlineData("DC-B03-ENV", "env-sensor", "B", "B03")]
    [InlineData("DC-A01-PDU-A", "pdu", "A", "A01")]
    [InlineData("DC-C12-SRV05", "server", "C", "C12")]
    [InlineData("DC-UPS01", "ups", null, null)]
    [InlineData("CORE-SW01", "switch", null, null)]
    public void Place_WithoutTags_FollowsTheFleetNamingConvention(string id, string type, string? row, string? rack)
    {
        // Act
        var placed = DataCenterFloor.Place(new DeviceAddress("dc-tinh", type, id), null, Options);

        // Assert
        Assert.Equal((row, rack), placed);
    }

    [Fact]
    public void Place_Tags_WinOverTheNameAndARackLabelGivesTheRow()
    {
        // Act
        var tagged = DataCenterFloor.Place(new DeviceAddress("dc-tinh", "ups", "DC-UPS02"), new Dictionary<string, string> { ["row"] = "B" }, Options);
        var rackOnly = DataCenterFloor.Place(new DeviceAddress("dc-tinh", "server", "SRV-X"), new Dictionary<string, string> { ["rack"] = "D04" }, Options);
        var renamed = DataCenterFloor.Place(new DeviceAddress("dc-tinh", "env-sensor", "DC-A01-ENV"), new Dictionary<string, string> { ["row"] = "C", ["rack"] = "C07" }, Options);

        // Assert
        Assert.Equal(("B", (string?)null), tagged);
        Assert.Equal(("D", "D04"), rackOnly);
        Assert.Equal(("C", "C07"), renamed);
    }

    [Theory]
    [InlineData(null, -1)]
    [InlineData(16.0, 0)]
    [InlineData(18.0, 1)]
    [InlineData(23.9, 2)]
    [InlineData(27.0, 4)]
    [InlineData(31.9, 5)]
    [InlineData(32.0, 6)]
    [InlineData(36.0, 7)]
    public void HeatBand_Celsius_BandOfTheDefaultScale(double? celsius, int band) =>
        Assert.Equal(band, DataCenterFloor.HeatBand(celsius, Options.HeatScale));

    [Fact]
    public void Build_CriticalAndOfflineDevices_AvailabilityCountsEachOnce()
    {
        // Arrange: four devices; one offline and under a critical alert, one under a major, one silent.
        var a = new DeviceAddress("dc-tinh", "server", "DC-A01-SRV01");
        var b = new DeviceAddress("dc-tinh", "server", "DC-A01-SRV02");
        var c = new DeviceAddress("dc-tinh", "server", "DC-A01-SRV03");
        var d = new DeviceAddress("dc-tinh", "server", "DC-A01-SRV04");
        var live = new Dictionary<DeviceAddress, DeviceLiveState>
        {
            [a] = State(a, DeviceState.Offline),
            [b] = State(b, DeviceState.Online),
            [c] = State(c, DeviceState.Online) with { Health = new DeviceHealth("dc-tinh", "server", c.DeviceId, null, HealthState.Silent, Now, Now) },
            [d] = State(d, DeviceState.Online),
        };
        Alert[] alerts = [Open(1, AlertSeverity.Critical, a.DeviceId), Open(2, AlertSeverity.Major, b.DeviceId)];

        // Act
        var floor = DataCenterFloor.Build([a, b, c, d], x => live.GetValueOrDefault(x), alerts, Options);

        // Assert
        Assert.Equal(new DataCenterAvailability(4, 2, 1, 2), floor.Availability);
        Assert.Equal(50, floor.Availability.Percent);
        Assert.Equal("critical", Assert.Single(Assert.Single(floor.Rows).Racks).Severity);
    }

    [Fact]
    public void Build_NoDevices_AvailabilityUnknown() =>
        Assert.Null(DataCenterFloor.Build([], _ => null, [], Options).Availability.Percent);

    [Fact]
    public void Validate_DescendingScale_NamesTheKey()
    {
        // Act
        var problems = new DataCenterOptions { HeatScaleC = [30, 20] }.Validate().ToList();

        // Assert
        Assert.Contains(problems, p => p.Contains("Ioc:Dashboard:DataCenter:HeatScaleC", StringComparison.Ordinal));
        Assert.Empty(new DataCenterOptions().Validate());
    }

    private static DeviceLiveState State(DeviceAddress address, DeviceState state) =>
        new(address, state, Now, Now, new Dictionary<string, FieldValue>());

    private static Alert Open(long id, AlertSeverity severity, string deviceId) => new()
    {
        Id = id,
        RuleId = "r",
        RuleName = "r",
        Kind = "threshold",
        SubjectKey = $"device:dc-tinh/server/{deviceId}",
        Subject = deviceId,
        Severity = severity,
        State = AlertState.Firing,
        Site = "dc-tinh",
        DeviceId = deviceId,
        Summary = deviceId,
        FiredAt = Now,
        LastFiredAt = Now,
    };
}
