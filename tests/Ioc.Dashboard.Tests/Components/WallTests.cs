using System.Globalization;
using Bunit;
using Ioc.Contract;
using Ioc.Contract.Alerts;
using Ioc.Contract.Model;
using Ioc.Dashboard.Components.Controls;
using Ioc.Dashboard.Components.Pages;
using Ioc.Dashboard.Data;
using Ioc.Dashboard.Live;
using Ioc.Dashboard.Security;
using Ioc.Dashboard.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Xunit;

namespace Ioc.Dashboard.Tests.Components;

/// <summary>The wall screen (Overview) and its province map.</summary>
public sealed class WallTests : IAsyncLifetime
{
    private readonly DashboardTestContext _ctx = new();

    public WallTests()
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("vi-VN");
        _ctx.SignInAs("boss", Roles.Viewer);
    }

    private DeviceStateStore Live => _ctx.Services.GetRequiredService<DeviceStateStore>();

    [Fact]
    public void DistrictMap_Statuses_FillsEachDistrictByHealthAndNamesItInVietnamese()
    {
        // Arrange
        var statuses = Province.Districts.Select(d => d.Slug switch
        {
            "gia-loc" => new DistrictStatus(d, 100, 0, 100, 100, null, null),
            "tu-ky" => new DistrictStatus(d, 95, 5, 100, 100, AlertSeverity.Major, null),
            "thanh-mien" => new DistrictStatus(d, 99, 1, 100, 100, AlertSeverity.Critical, null),
            "kim-thanh" => new DistrictStatus(d, 80, 20, 100, 100, AlertSeverity.Major, null),
            _ => new DistrictStatus(d, 0, 0, 0, 0, null, null),
        }).ToList();

        // Act
        var map = _ctx.Render<DistrictMap>(p => p.Add(m => m.Districts, statuses));

        // Assert
        Assert.Equal(12, map.FindAll("[data-testid=map-district]").Count);
        Assert.Equal("ok", Health(map, "gia-loc"));
        Assert.Equal("degraded", Health(map, "tu-ky"));
        Assert.Equal("down", Health(map, "thanh-mien"));
        Assert.Equal("down", Health(map, "kim-thanh"));
        Assert.Equal("unknown", Health(map, "ninh-giang"));
        Assert.Contains("ioc-geo-degraded", map.Find("[data-testid=map-district][data-district=tu-ky]").ClassList);
        Assert.Equal("Gia Lộc", map.Find("[data-testid=map-label][data-district=gia-loc]").TextContent);
        Assert.StartsWith("100/100", map.Find("[data-testid=map-count][data-district=gia-loc]").TextContent, StringComparison.Ordinal);
        Assert.Equal("alerts?district=gia-loc", map.Find("[data-testid=map-district][data-district=gia-loc]").ParentElement!.GetAttribute("href"));
    }

    [Fact]
    public void DistrictMap_EnglishCulture_LabelsInEnglish()
    {
        // Arrange
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("en-GB");
        var statuses = Province.Districts.Select(d => new DistrictStatus(d, 1, 0, 1, 1, null, null)).ToList();

        // Act
        var map = _ctx.Render<DistrictMap>(p => p.Add(m => m.Districts, statuses));

        // Assert
        Assert.Equal("Thanh Ha", map.Find("[data-testid=map-label][data-district=thanh-ha]").TextContent);
    }

    [Fact]
    public void DistrictStatuses_OpenDistrictDown_IsDownAlthoughDevicesLookOnline()
    {
        // Arrange: every device online by its last status, but the engine holds a district-down open for Thanh Hà.
        var rows = Enumerable.Range(1, 10).Select(i => Row("thanh-ha-xa-1", $"TH-AP-{i:00}", DeviceState.Online)).ToList();
        var down = Open(AlertSeverity.Critical, "thanh-ha", "district-down", "composite", null);

        // Act
        var statuses = OverviewService.DistrictStatuses(rows, [down], []);

        // Assert
        var thanhHa = statuses.Single(s => s.District.Slug == "thanh-ha");
        Assert.Equal(WallHealth.Down, thanhHa.Health);
        Assert.Equal(10, thanhHa.Online);
        Assert.Equal(WallHealth.Unknown, statuses.Single(s => s.District.Slug == "gia-loc").Health);
    }

    [Fact]
    public async Task Overview_DistrictDownRaised_ThanhHaTurnsRedLive()
    {
        // Arrange
        for (var i = 0; i < 10; i++)
        {
            Live.ApplyStatus(new DeviceStatus(new DeviceAddress("thanh-ha-xa-1", DeviceTypes.WifiAccessPoint, $"TH-AP-{i:00}"), _ctx.Time.GetUtcNow(), DeviceState.Online));
        }

        var page = _ctx.Render<Overview>();
        page.WaitForAssertion(() => Assert.Equal("ok", Health(page, "thanh-ha")));

        // Act
        _ctx.Alerts.Add(AlertSeverity.Critical, "Thanh Hà", "thanh-ha", rule: "district-down", kind: "composite");
        _ctx.FlushLive();
        await Task.Yield();

        // Assert
        page.WaitForAssertion(() => Assert.Equal("down", Health(page, "thanh-ha")));
        Assert.Equal("1", page.Find("[data-testid=wall-open-critical-value]").TextContent);
    }

    [Fact]
    public async Task Overview_DevicesOfflineWithDistrictDown_MapWallAndAlertCountTheSame()
    {
        // Arrange: 12 APs in Thanh Hà; the engine says 10 are offline (device-offline) and raised district-down with 10.
        var devices = Enumerable.Range(1, 12).Select(i => new DeviceAddress($"thanh-ha-xa-{1 + (i % 3)}", DeviceTypes.WifiAccessPoint, $"TH-AP-{i:00}")).ToList();
        foreach (var device in devices)
        {
            Live.ApplyStatus(new DeviceStatus(device, _ctx.Time.GetUtcNow(), DeviceState.Online));
        }

        foreach (var device in devices.Take(10))
        {
            _ctx.Alerts.Add(AlertSeverity.Major, $"{device.DeviceId} offline", device.Site, deviceId: device.DeviceId);
        }

        var districtDown = _ctx.Alerts.Add(AlertSeverity.Critical, "Thanh Hà", "thanh-ha", rule: "district-down", kind: "composite", summary: "District thanh-ha: 10 devices offline");
        var alertCount = int.Parse(districtDown.Summary.Split(' ')[2], CultureInfo.InvariantCulture);

        // Act
        var page = _ctx.Render<Overview>();

        // Assert
        page.WaitForAssertion(() => Assert.Equal("10", page.Find("[data-testid=map-district][data-district=thanh-ha]").GetAttribute("data-offline")));
        Assert.Equal(alertCount, int.Parse(page.Find("[data-testid=wall-worst-district][data-district=thanh-ha]").GetAttribute("data-offline")!, CultureInfo.InvariantCulture));
        Assert.Equal("10 mất kết nối", page.Find("[data-testid=map-offline][data-district=thanh-ha]").TextContent);
        Assert.StartsWith("2/12", page.Find("[data-testid=map-count][data-district=thanh-ha]").TextContent, StringComparison.Ordinal);
        Assert.Contains("10/12 mất kết nối", page.Find("[data-testid=wall-worst-district][data-district=thanh-ha]").TextContent, StringComparison.Ordinal);
        Assert.Single(page.FindAll("[data-testid=wall-worst-district]"));
        Assert.Equal("down", Health(page, "thanh-ha"));
        await Task.CompletedTask;
    }

    [Fact]
    public void Overview_NothingOffline_ListsNoDistrictAndNoZeroPercent()
    {
        // Arrange
        Live.ApplyStatus(new DeviceStatus(new DeviceAddress("thanh-ha-xa-1", DeviceTypes.WifiAccessPoint, "TH-AP-01"), _ctx.Time.GetUtcNow(), DeviceState.Online));

        // Act
        var page = _ctx.Render<Overview>();

        // Assert
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=all-districts-online]")));
        Assert.Empty(page.FindAll("[data-testid=wall-worst-district]"));
        Assert.DoesNotContain("0,0 %", page.Find("[data-testid=wall-worst]").TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(45, "vi-VN", "45 giây")]
    [InlineData(63, "vi-VN", "1 ph 3 giây")]
    [InlineData(3_600 + 300 + 7, "vi-VN", "1 giờ 5 ph")]
    [InlineData((2 * 86_400) + (3 * 3_600), "vi-VN", "2 ngày 3 giờ")]
    [InlineData(63, "en-GB", "1 min 3 s")]
    [InlineData((59 * 60) + 59, "en-GB", "59 min 59 s")]
    [InlineData((26 * 3_600) + 60, "en-GB", "1 d 2 h")]
    public void Duration_Span_WholeUnitsInTheUserLanguage(int seconds, string culture, string expected)
    {
        // Arrange
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo(culture);
        var vocabulary = _ctx.Services.GetRequiredService<Vocabulary>();

        // Act
        var text = vocabulary.Duration(TimeSpan.FromSeconds(seconds));

        // Assert
        Assert.Equal(expected, text);
    }

    [Fact]
    public async Task Overview_MttaAcrossHours_ShownWholeWithoutEllipsis()
    {
        // Arrange: acknowledged after 1 h 2 min 3 s.
        var alert = _ctx.Alerts.Add(AlertSeverity.Critical, "Core down", "dc-tinh");
        _ctx.Time.Advance(new TimeSpan(1, 2, 3));
        await _ctx.Alerts.AcknowledgeAsync(alert.Id, "op1", null, CancellationToken.None);

        // Act
        var page = _ctx.Render<Overview>();

        // Assert
        page.WaitForAssertion(() => Assert.Equal("1 giờ 2 ph", page.Find("[data-testid=wall-mtta-value]").TextContent));
        Assert.Equal("—", page.Find("[data-testid=wall-mttr-value]").TextContent);
        Assert.DoesNotContain("…", page.Find("[data-testid=wall-mtta]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void OnlineTrend_HistoryStartsLate_ChartStartsAtFirstData()
    {
        // Arrange: nothing known before 20 h into the day, then two devices come online.
        var to = _ctx.Time.GetUtcNow();
        var from = to.AddHours(-24);
        var first = from.AddHours(20).AddMinutes(10);
        StatusChange[] changes =
        [
            new(new DeviceAddress("thanh-ha", DeviceTypes.Router, "TH-RT-01"), first, DeviceState.Online),
            new(new DeviceAddress("thanh-ha", DeviceTypes.Switch, "TH-SW-01"), first.AddMinutes(5), DeviceState.Online),
        ];

        // Act
        var trend = OverviewService.OnlineTrend(new Dictionary<string, DeviceState>(), changes, from, to, 24);

        // Assert
        Assert.Equal(4, trend.Count);
        Assert.Equal(from.AddHours(20), trend[0].Start);
        Assert.All(trend, b => Assert.Equal(2, b.Mean));
        Assert.Equal(from.AddHours(21), Overview.XTicks(trend).First());
        Assert.Equal(to, Overview.XTicks(trend).Last());
    }

    [Fact]
    public void OnlineTrend_KnownBeforeWindow_KeepsEveryBucket()
    {
        // Arrange
        var to = _ctx.Time.GetUtcNow();
        var from = to.AddHours(-24);
        var initial = new Dictionary<string, DeviceState> { ["thanh-ha/router/TH-RT-01"] = DeviceState.Online };

        // Act
        var trend = OverviewService.OnlineTrend(initial, [], from, to, 24);

        // Assert
        Assert.Equal(24, trend.Count);
        Assert.Equal(from, trend[0].Start);
    }

    [Fact]
    public void ProvinceMap_Communes_PlacedInsideTheirDistrictTheSameEveryTime()
    {
        // Arrange
        var map = ProvinceMap.Default;

        // Act
        var points = Province.Districts.SelectMany(d => Enumerable.Range(1, 25).Select(i => (District: d.Slug, Site: $"{d.Slug}-xa-{i}"))).ToList();

        // Assert
        Assert.Equal(12, map.Districts.Count);
        foreach (var (district, site) in points)
        {
            var at = map.PlaceSite(district, site);
            Assert.True(map.Find(district)!.Contains(at), $"{site} placed outside {district}");
            Assert.Equal(at, map.PlaceSite(district, site));
        }

        Assert.Equal(map.Find("thanh-ha")!.Seat, map.PlaceSite("thanh-ha", "thanh-ha"));
    }

    [Theory]
    [InlineData("vi-VN", "Ranh giới huyện (2016): geoBoundaries · Open Development Mekong, CC BY-SA 4.0")]
    [InlineData("en-GB", "District boundaries (2016): geoBoundaries · Open Development Mekong, CC BY-SA 4.0")]
    public void ProvinceMap_Shipped_RealBoundariesEverySeatInItsDistrictAndCredited(string culture, string credit)
    {
        // Arrange
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo(culture);
        var map = ProvinceMap.Default;
        var statuses = Province.Districts.Select(d => new DistrictStatus(d, 1, 0, 1, 1, null, null)).ToList();

        // Act
        var rendered = _ctx.Render<DistrictMap>(p => p.Add(m => m.Districts, statuses));

        // Assert
        Assert.Equal(("boundaries", "geoboundaries"), (map.Method, map.Source));
        Assert.Equal(Province.Districts.Select(d => d.Slug).Order(), map.Districts.Select(d => d.Slug).Order());
        Assert.All(map.Districts, d => Assert.True(d.Contains(d.Seat), $"{d.Slug}: seat drawn outside its district"));
        Assert.All(map.Districts, d => Assert.True(d.Contains(d.Label), $"{d.Slug}: label outside its district"));
        Assert.Equal(credit, rendered.Find("[data-testid=map-credit]").TextContent.Trim());
    }

    private static string? Health(IRenderedComponent<DistrictMap> map, string slug) =>
        map.Find($"[data-testid=map-district][data-district={slug}]").GetAttribute("data-health");

    private static string? Health(IRenderedComponent<Overview> page, string slug) =>
        page.Find($"[data-testid=map-district][data-district={slug}]").GetAttribute("data-health");

    private static DeviceRow Row(string site, string id, DeviceState state) =>
        new(new FleetDevice(new DeviceAddress(site, DeviceTypes.WifiAccessPoint, id), Province.DistrictOf(site)?.Slug),
            new DeviceLiveState(new DeviceAddress(site, DeviceTypes.WifiAccessPoint, id), state, null, null, new Dictionary<string, FieldValue>()));

    private Alert Open(AlertSeverity severity, string site, string rule, string kind, string? deviceId)
    {
        var now = _ctx.Time.GetUtcNow();
        return new Alert
        {
            Id = 1,
            RuleId = rule,
            RuleName = rule,
            Kind = kind,
            SubjectKey = $"district:{site}",
            Subject = site,
            Severity = severity,
            State = AlertState.Firing,
            Site = site,
            DeviceId = deviceId,
            Summary = site,
            FiredAt = now,
            LastFiredAt = now,
            UpdatedAt = now,
        };
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.DisposeAsync().AsTask();
}
