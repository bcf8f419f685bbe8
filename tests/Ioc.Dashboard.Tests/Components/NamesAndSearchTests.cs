using System.Globalization;
using Bunit;
using Ioc.Contract;
using Ioc.Contract.Alerts;
using Ioc.Contract.Model;
using Ioc.Contract.Text;
using Ioc.Dashboard.Components.Controls;
using Ioc.Dashboard.Components.Pages;
using Ioc.Dashboard.Data;
using Ioc.Dashboard.Live;
using Ioc.Dashboard.Security;
using Ioc.Dashboard.Tests.Shared;
using Ioc.Storage.Operational;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Ioc.Dashboard.Tests.Components;

/// <summary>Sites shown by their names with diacritics, and searches that find them with or without diacritics.</summary>
public sealed class NamesAndSearchTests : IAsyncLifetime
{
    private readonly DashboardTestContext _ctx = new();

    public NamesAndSearchTests()
    {
        UseCulture("vi-VN");
        _ctx.SignInAs("boss", Roles.Viewer);
    }

    private DeviceStateStore Live => _ctx.Services.GetRequiredService<DeviceStateStore>();

    public async Task InitializeAsync()
    {
        await _ctx.RegisterSitesAsync(
            new SiteRecord("thanh-ha", "Thanh Hà", "Thanh Ha", "thanh-ha", SiteKinds.District),
            new SiteRecord("thanh-ha-an-son", "An Sơn", "An Son", "thanh-ha", SiteKinds.Commune),
            // A slug that says nothing of the name: only the display name finds it.
            new SiteRecord("thanh-ha-xa-07", "Hồng Lạc", "Hong Lac", "thanh-ha", SiteKinds.Commune),
            new SiteRecord("tu-ky-ngoc-son", "Ngọc Sơn", "Ngoc Son", "tu-ky", SiteKinds.Commune),
            new SiteRecord("tu-ky", "Tứ Kỳ", "Tu Ky", "tu-ky", SiteKinds.District));
        foreach (var (site, id) in new[] { ("thanh-ha", "TH-FW01"), ("thanh-ha-an-son", "TH-C01-AP1"), ("thanh-ha-xa-07", "TH-C07-AP1"), ("tu-ky-ngoc-son", "TK-C03-AP1") })
        {
            Live.ApplyStatus(new DeviceStatus(new DeviceAddress(site, id.Contains("FW", StringComparison.Ordinal) ? DeviceTypes.Firewall : DeviceTypes.WifiAccessPoint, id), _ctx.Time.GetUtcNow(), DeviceState.Online));
        }
    }

    public async Task DisposeAsync() => await _ctx.DisposeAsync();

    [Theory]
    [InlineData("Thanh Hà")]
    [InlineData("thanh ha")]
    [InlineData("THANH HA")]
    public void Devices_SearchDistrictWithOrWithoutDiacritics_FindsEveryThanhHaSite(string query)
    {
        var page = RenderAt<Devices>("devices?q=" + Uri.EscapeDataString(query));

        page.WaitForAssertion(() => Assert.Equal(["TH-C01-AP1", "TH-C07-AP1", "TH-FW01"], Rows(page)));
    }

    [Theory]
    [InlineData("Hồng Lạc")]
    [InlineData("hong lac")]
    [InlineData("HONG LAC")]
    public void Devices_SearchByDisplayName_FindsTheSiteWhoseSlugDoesNotSayIt(string query)
    {
        var page = RenderAt<Devices>("devices?q=" + Uri.EscapeDataString(query));

        page.WaitForAssertion(() => Assert.Equal(["TH-C07-AP1"], Rows(page)));
    }

    [Fact]
    public void Devices_Sites_ShowDisplayNamesWithDiacritics()
    {
        var page = RenderAt<Devices>("devices");

        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("[data-testid=device-row]").Count));
        var sites = page.FindAll("[data-testid=device-row]").ToDictionary(r => r.GetAttribute("data-device")!, r => r.QuerySelector("[data-testid=device-site]")!.TextContent);
        Assert.Equal("Thanh Hà · An Sơn", sites["TH-C01-AP1"]);
        Assert.Equal("Thanh Hà", sites["TH-FW01"]);
        Assert.Equal("Tứ Kỳ · Ngọc Sơn", sites["TK-C03-AP1"]);
        Assert.Contains(page.FindAll("[data-testid=device-row] td"), td => td.TextContent == "Tường lửa");
    }

    [Fact]
    public void Devices_InEnglish_ShowEnglishNames()
    {
        UseCulture("en-US");

        var page = RenderAt<Devices>("devices?q=an%20son");

        page.WaitForAssertion(() => Assert.Equal("Thanh Ha · An Son", page.Find("[data-testid=device-site]").TextContent));
    }

    [Theory]
    [InlineData("Thanh Hà")]
    [InlineData("thanh ha")]
    [InlineData("THANH HA")]
    public void Events_SearchWithOrWithoutDiacritics_FindsEventsOfThanhHaSites(string query)
    {
        var feed = _ctx.Services.GetRequiredService<EventFeed>();
        feed.Add(Event("thanh-ha", DeviceTypes.Firewall, "TH-FW01", "auth_failure", "Failed password for admin"));
        feed.Add(Event("thanh-ha-xa-07", DeviceTypes.WifiAccessPoint, "TH-C07-AP1", "rogue_ap", "Rogue AP"));
        feed.Add(Event("tu-ky-ngoc-son", DeviceTypes.WifiAccessPoint, "TK-C03-AP1", "rogue_ap", "Rogue AP"));

        var page = RenderAt<Events>("events?q=" + Uri.EscapeDataString(query));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=event-row]").Count));
        Assert.Equal(["Thanh Hà", "Thanh Hà · Hồng Lạc"], page.FindAll("[data-testid=event-site]").Select(e => e.TextContent).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Events_TypesAndSearch_UseWords()
    {
        var feed = _ctx.Services.GetRequiredService<EventFeed>();
        feed.Add(Event("thanh-ha", DeviceTypes.Firewall, "TH-FW01", "auth_failure", "Failed password for admin"));
        feed.Add(Event("thanh-ha", DeviceTypes.Firewall, "TH-FW01", "link_down", "Interface down"));

        var page = RenderAt<Events>("events?q=" + Uri.EscapeDataString("dang nhap that bai"));

        page.WaitForAssertion(() => Assert.Equal("Đăng nhập thất bại", Assert.Single(page.FindAll("[data-testid=event-type]")).TextContent));
        Assert.Contains(page.FindAll("[data-testid=event-type-count] a"), a => a.TextContent == "Mất liên kết");
    }

    [Fact]
    public void AlertText_RendersTheTextOfTheUiCulture()
    {
        var alert = new Alert
        {
            Id = 7,
            RuleId = "brute-force",
            RuleName = "Dò mật khẩu đăng nhập",
            Kind = "event_count",
            SubjectKey = "k",
            Subject = "s",
            Severity = AlertSeverity.Major,
            State = AlertState.Firing,
            Summary = "Dò mật khẩu từ 203.0.113.77 vào tường lửa TH-FW01 (Thanh Hà)",
            Texts = new AlertTexts(
                new LocalizedText("Dò mật khẩu từ 203.0.113.77 vào tường lửa TH-FW01 (Thanh Hà)", "Brute force from 203.0.113.77 against firewall TH-FW01 (Thanh Ha)"),
                new LocalizedText("Dò mật khẩu đăng nhập", "Brute-force login")),
            FiredAt = _ctx.Time.GetUtcNow(),
            LastFiredAt = _ctx.Time.GetUtcNow(),
        };

        Assert.Equal("Dò mật khẩu từ 203.0.113.77 vào tường lửa TH-FW01 (Thanh Hà)", _ctx.Render<AlertText>(p => p.Add(x => x.Alert, alert)).Find("[data-testid=alert-text]").TextContent);
        UseCulture("en-US");
        Assert.Equal("Brute force from 203.0.113.77 against firewall TH-FW01 (Thanh Ha)", _ctx.Render<AlertText>(p => p.Add(x => x.Alert, alert)).Find("[data-testid=alert-text]").TextContent);
        Assert.Equal("Brute-force login", _ctx.Render<AlertText>(p => p.Add(x => x.Alert, alert).Add(x => x.Part, Ioc.Dashboard.Alerts.AlertTextPart.RuleName)).Find("[data-testid=alert-text]").TextContent);

        // An alert stored before texts existed shows its one summary.
        Assert.Equal("old summary", _ctx.Render<AlertText>(p => p.Add(x => x.Alert, alert with { Texts = null, Summary = "old summary" })).Find("[data-testid=alert-text]").TextContent);
        Assert.True(Ioc.Dashboard.Alerts.AlertTextFormatter.Matches("brute force thanh ha", alert, _ctx.Services.GetRequiredService<ISiteDirectory>()));
    }

    [Fact]
    public void SiteDirectory_UnregisteredSite_FallsBackToTheSlugGuess()
    {
        var sites = _ctx.Services.GetRequiredService<ISiteDirectory>();

        Assert.Equal("Gia Lộc · Yet Kieu", sites.DisplayName("gia-loc-yet-kieu", CultureInfo.GetCultureInfo("vi-VN")));
        Assert.Equal("Tu Ky · Ngoc Son", sites.DisplayName("tu-ky-ngoc-son", CultureInfo.GetCultureInfo("en-US")));
        Assert.Equal("thanh-ha", sites.DistrictOf("thanh-ha-xa-07")!.Slug);
    }

    [Theory]
    [InlineData("vi-VN", 63, "1 ph 3 giây")]
    [InlineData("en-US", 63, "1 min 3 s")]
    [InlineData("vi-VN", 300, "5 phút")]
    [InlineData("vi-VN", 7500, "2 giờ 5 ph")]
    [InlineData("en-US", 0, "0 s")]
    public void Vocabulary_Duration_InWordsOfTheCulture(string culture, int seconds, string expected)
    {
        UseCulture(culture);

        Assert.Equal(expected, _ctx.Services.GetRequiredService<Vocabulary>().Duration(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void Vocabulary_CodesInWords_VietnameseAndEnglish()
    {
        var words = _ctx.Services.GetRequiredService<Vocabulary>();
        Assert.Equal(("phút", "giây", "°C", "%"), (words.Unit("min"), words.Unit("s"), words.UnitOfMetric("temp_c"), words.UnitOfMetric("battery_pct")));
        Assert.Equal(("Đăng nhập thất bại", "Lỗi máy nén", "Đã bình luận", "Khẩn cấp"), (words.EventType("auth_failure"), words.EventType("compressor_fault"), words.TimelineAction("commented"), words.Severity(AlertSeverity.Critical)));
        Assert.Equal("port scan", words.EventType("port_scan"));

        UseCulture("en-US");
        Assert.Equal(("min", "Failed login", "Commented", "Acknowledged"), (words.Unit("min"), words.EventType("auth_failure"), words.TimelineAction("commented"), words.State(AlertState.Acknowledged)));
    }

    private IRenderedComponent<T> RenderAt<T>(string uri)
        where T : IComponent
    {
        _ctx.Services.GetRequiredService<NavigationManager>().NavigateTo(uri);
        return _ctx.Render<T>();
    }

    private static List<string> Rows(IRenderedComponent<Devices> page) =>
        [.. page.FindAll("[data-testid=device-row]").Select(r => r.GetAttribute("data-device")!).Order(StringComparer.Ordinal)];

    private DeviceEvent Event(string site, string type, string id, string eventType, string message) =>
        new(new DeviceAddress(site, type, id), _ctx.Time.GetUtcNow(), eventType, EventSeverity.Warning, message, new Dictionary<string, string>());

    private static void UseCulture(string name) => CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo(name);
}
