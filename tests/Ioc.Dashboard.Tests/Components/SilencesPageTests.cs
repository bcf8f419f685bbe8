using System.Globalization;
using AngleSharp.Dom;
using Bunit;
using Ioc.Alerting.Rules;
using Ioc.Contract;
using Ioc.Contract.Alerts;
using Ioc.Dashboard.Data;
using Ioc.Dashboard.Security;
using Ioc.Dashboard.Tests.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Xunit;
using SilencesPage = Ioc.Dashboard.Components.Pages.Silences;

namespace Ioc.Dashboard.Tests.Components;

/// <summary>
/// The silence form in Vietnamese: every bad input is refused with a message in Vietnamese and nothing reaches the engine;
/// a valid planned window is created and listed. The fake clock stands at Tue 24/11/2026 03:00 UTC = 10:00 in Hà Nội.
/// </summary>
public sealed class SilencesPageTests : IAsyncLifetime
{
    private readonly DashboardTestContext _ctx = new();

    public SilencesPageTests()
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("vi-VN");
        _ctx.Services.TryAddSingleton<ISiteDirectory, SlugSiteDirectory>();
        _ctx.SignInAs("op1", Roles.Operator);
        _ctx.Alerts.Rules = [new AlertRule { Id = "device-offline", Name = "Thiết bị mất kết nối", Kind = RuleKind.Offline, Severity = AlertSeverity.Major, Scope = RuleScope.All }];
        Fleet.Extra.AddRange([
            new DeviceAddress("dc-tinh", "ups", "DC-UPS-01"),
            new DeviceAddress("thanh-ha-an-son", "wifi-ap", "TH-AP-0001"),
            new DeviceAddress("thanh-ha", "switch", "TH-SW-01"),
            new DeviceAddress("tu-ky-ngoc-son", "wifi-ap", "TK-AP-0001"),
        ]);
    }

    private TestFleetDirectory Fleet => (TestFleetDirectory)_ctx.Services.GetRequiredService<IFleetDirectory>();

    private IRenderedComponent<SilencesPage> Render(string? site = null, string? rule = null)
    {
        var navigation = _ctx.Services.GetRequiredService<NavigationManager>();
        var uri = navigation.GetUriWithQueryParameters(navigation.ToAbsoluteUri("silences").ToString(), new Dictionary<string, object?> { ["site"] = site, ["rule"] = rule });
        navigation.NavigateTo(uri);
        return _ctx.Render<SilencesPage>();
    }

    private static IElement Input(IRenderedComponent<SilencesPage> page, string testId)
    {
        var element = page.Find($"[data-testid={testId}]");
        return element.TagName == "INPUT" || element.TagName == "TEXTAREA" ? element : element.QuerySelector("input, textarea")!;
    }

    private static void Fill(IRenderedComponent<SilencesPage> page, string testId, string text) => Input(page, testId).Change(text);

    private static void Type(IRenderedComponent<SilencesPage> page, string testId, string text) => Input(page, testId).Input(text);

    private static void FillValid(IRenderedComponent<SilencesPage> page)
    {
        page.Find("[data-testid=silence-matcher-district]").Change("thanh-ha");
        Fill(page, "silence-reason", "Thay bộ chuyển mạch");
    }

    private static IReadOnlyList<string> Errors(IRenderedComponent<SilencesPage> page) =>
        [.. page.FindAll("[data-testid=silence-error]").Select(e => e.TextContent.Trim())];

    public static TheoryData<string, Action<IRenderedComponent<SilencesPage>>, string> BadInputs => new()
    {
        { "ngày không có thật", p => { FillValid(p); Fill(p, "silence-start", "31/02/2026"); }, "Bắt đầu: “31/02/2026” không phải ngày giờ hợp lệ (định dạng dd/MM/yyyy HH:mm)." },
        { "ngày kết thúc không có thật", p => { FillValid(p); Fill(p, "silence-end", "31/02/2026 08:00"); }, "Kết thúc: “31/02/2026 08:00” không phải ngày giờ hợp lệ" },
        { "số âm", p => { FillValid(p); Fill(p, "silence-duration", "-5"); }, "Thời lượng phải lớn hơn 0 giờ." },
        { "số không", p => { FillValid(p); Fill(p, "silence-duration", "0"); }, "Thời lượng phải lớn hơn 0 giờ." },
        { "chữ thay cho số", p => { FillValid(p); Fill(p, "silence-duration", "ngày mai"); }, "“ngày mai” không phải là số giờ hợp lệ." },
        { "kết thúc trước bắt đầu", p => { FillValid(p); Fill(p, "silence-end", "24/11/2026 09:00"); }, "Thời điểm kết thúc phải sau thời điểm bắt đầu." },
        { "kết thúc đã qua", p => { FillValid(p); Fill(p, "silence-start", "20/11/2026 08:00"); Fill(p, "silence-end", "21/11/2026 08:00"); }, "Thời điểm kết thúc đã qua." },
        { "quá 30 ngày", p => { FillValid(p); Fill(p, "silence-duration", "721"); }, "Một lệnh tạm im lặng chỉ được kéo dài tối đa 30 ngày." },
        { "không có phạm vi", p => Fill(p, "silence-reason", "Thay bộ chuyển mạch"), "không được tạm im lặng toàn bộ" },
        { "không có lý do", p => p.Find("[data-testid=silence-matcher-district]").Change("thanh-ha"), "Hãy nhập lý do." },
        { "hằng tuần không chọn ngày", p => { FillValid(p); p.Find("[data-testid=silence-recurrence]").Change("weekly"); }, "Hãy chọn ít nhất một ngày trong tuần." },
        { "giờ mở khung sai", p => { FillValid(p); p.Find("[data-testid=silence-recurrence]").Change("daily"); Fill(p, "silence-window-start", "25:00"); }, "“25:00” không phải giờ hợp lệ (định dạng HH:mm)." },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Submit_BadInput_ShowsVietnameseMessageAndCreatesNothing(string what, Action<IRenderedComponent<SilencesPage>> fill, string expected)
    {
        // Arrange
        var page = Render();
        fill(page);

        // Act
        page.Find("[data-testid=silence-submit]").Click();

        // Assert
        Assert.True(Errors(page).Any(e => e.Contains(expected, StringComparison.Ordinal)), $"{what}: [{string.Join(" | ", Errors(page))}]");
        Assert.DoesNotContain(_ctx.Alerts.Calls, c => c.StartsWith("silence:", StringComparison.Ordinal));
        Assert.Empty(_ctx.Alerts.AllSilences());
    }

    [Theory]
    [InlineData("dc-tihn", null, "Không có điểm “dc-tihn”.")]
    [InlineData(null, "dc-inlet-wram", "Không có quy tắc “dc-inlet-wram”.")]
    public void Submit_UnknownSiteOrRuleFromLink_IsRefusedInVietnamese(string? site, string? rule, string expected)
    {
        // Arrange: a link from another page (or a hand-edited URL) names something that does not exist.
        var page = Render(site, rule);
        Fill(page, "silence-reason", "Bảo trì");

        // Act
        page.Find("[data-testid=silence-submit]").Click();

        // Assert
        Assert.Contains(expected, Errors(page));
        Assert.Empty(_ctx.Alerts.AllSilences());
    }

    [Fact]
    public void Submit_PlannedWeeklyWindow_IsCreatedInTheConsolesZoneAndListedAsScheduled()
    {
        // Arrange: from Wednesday 25/11 for 4 weeks, Tuesdays and Saturdays 22:30 local for 2 h, on the data center's UPS.
        var page = Render();
        Type(page, "silence-matcher-device", "dc ups");
        page.Find("[data-testid=silence-matcher-device-option]").Click();
        Fill(page, "silence-start", "25/11/2026 00:00");
        Fill(page, "silence-end", "23/12/2026 00:00");
        page.Find("[data-testid=silence-recurrence]").Change("weekly");
        Fill(page, "silence-window-start", "22:30");
        Fill(page, "silence-window-hours", "2");
        Input(page, "silence-day-2").Change(true);
        Input(page, "silence-day-6").Change(true);
        Fill(page, "silence-reason", "Bảo trì UPS định kỳ");

        // Act
        page.Find("[data-testid=silence-submit]").Click();

        // Assert
        Assert.Empty(Errors(page));
        var silence = Assert.Single(_ctx.Alerts.AllSilences());
        Assert.Equal(SilenceKind.Maintenance, silence.Kind);
        Assert.Equal("DC-UPS-01", silence.DeviceId);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 17, 0, 0, TimeSpan.Zero), silence.StartsAt);
        Assert.Equal(new SilenceRecurrence { Frequency = SilenceFrequency.Weekly, Days = SilenceDays.Tuesday | SilenceDays.Saturday, LocalStart = new TimeOnly(22, 30), Duration = TimeSpan.FromHours(2), TimeZone = "Asia/Ho_Chi_Minh" }, silence.Recurrence);
        var row = page.Find("[data-testid=silence-row]");
        Assert.Equal("scheduled", row.GetAttribute("data-status"));
        Assert.Contains("Thiết bị: DC-UPS-01", row.QuerySelector("[data-testid=silence-matchers]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Hằng tuần vào T3, T7 lúc 22:30, trong 2 giờ", row.QuerySelector("[data-testid=silence-recurrence-words]")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void DurationShortcut_SetsTheEndFromTheStart()
    {
        var page = Render();
        Fill(page, "silence-start", "24/11/2026 13:00");

        page.Find("[data-testid=silence-duration-4h]").Click();

        Assert.Equal("24/11/2026 17:00", Input(page, "silence-end").GetAttribute("value"));
        Assert.Equal("4", Input(page, "silence-duration").GetAttribute("value"));
    }

    [Fact]
    public void Submit_OneHourSilenceOfADistrict_SendsItFromNowForOneHour()
    {
        var page = Render();
        FillValid(page);
        page.Find("[data-testid=silence-duration-1h]").Click();

        page.Find("[data-testid=silence-submit]").Click();

        var silence = Assert.Single(_ctx.Alerts.AllSilences());
        Assert.Equal(("thanh-ha", TimeSpan.FromHours(1)), (silence.District, silence.EndsAt - silence.StartsAt));
        Assert.Equal(_ctx.Time.GetUtcNow(), silence.StartsAt);
        Assert.Equal("active", page.Find("[data-testid=silence-row]").GetAttribute("data-status"));
    }

    [Fact]
    public void Preview_DistrictChosen_CountsItsOpenAlertsAndDevices()
    {
        // Arrange: two open alerts in Thanh Hà, one elsewhere.
        _ctx.Alerts.Add(AlertSeverity.Major, "AP offline", "thanh-ha-an-son", deviceId: "TH-AP-0001", district: "thanh-ha", deviceType: "wifi-ap");
        _ctx.Alerts.Add(AlertSeverity.Major, "Switch down", "thanh-ha", deviceId: "TH-SW-01", district: "thanh-ha", deviceType: "switch");
        _ctx.Alerts.Add(AlertSeverity.Major, "AP offline", "tu-ky-ngoc-son", deviceId: "TK-AP-0001", district: "tu-ky", deviceType: "wifi-ap");
        var page = Render();

        // Act
        page.Find("[data-testid=silence-matcher-district]").Change("thanh-ha");

        // Assert: the district's two alerts and two devices, not Tứ Kỳ's.
        var preview = page.Find("[data-testid=silence-preview]");
        Assert.Equal("2", preview.GetAttribute("data-alerts"));
        Assert.Equal("2", preview.GetAttribute("data-devices"));
        Assert.Contains("2 cảnh báo đang mở", preview.TextContent, StringComparison.Ordinal);
        Assert.Equal(2, page.FindAll("[data-testid=silence-preview-device]").Count);

        // Narrowed to a device type, only the access point is left.
        page.Find("[data-testid=silence-matcher-type]").Change("wifi-ap");
        Assert.Equal("1", page.Find("[data-testid=silence-preview]").GetAttribute("data-alerts"));
        Assert.Contains("TH-AP-0001", page.Find("[data-testid=silence-preview-device]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void SiteSearch_WithoutDiacritics_FindsTheSiteByItsVietnameseName()
    {
        var page = Render();

        Type(page, "silence-matcher-site", "thanh ha an son");

        var option = Assert.Single(page.FindAll("[data-testid=silence-matcher-site-option]"));
        Assert.Contains("Thanh Hà · An Son", option.TextContent, StringComparison.Ordinal);
        option.Click();
        Assert.Contains("Thanh Hà · An Son", page.Find("[data-testid=silence-matcher-site-chosen]").TextContent, StringComparison.Ordinal);
        Assert.Equal("1", page.Find("[data-testid=silence-preview]").GetAttribute("data-devices"));
    }

    [Fact]
    public async Task Expire_ActiveSilence_EndsItAndItLeavesTheList()
    {
        await _ctx.Alerts.CreateSilenceAsync(new SilenceRequest { Site = "dc-tinh", StartsAt = _ctx.Time.GetUtcNow(), EndsAt = _ctx.Time.GetUtcNow().AddHours(2), Reason = "Thay UPS" }, "op1", CancellationToken.None);
        var page = Render();
        Assert.Equal("active", page.Find("[data-testid=silence-row]").GetAttribute("data-status"));

        page.Find("[data-testid=silence-expire]").Click();

        Assert.Contains(_ctx.Alerts.Calls, c => c.StartsWith("end-silence:", StringComparison.Ordinal));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=silence-row]")));
    }

    [Fact]
    public void Render_AsViewer_HasNoForm()
    {
        _ctx.SignInAs("boss", Roles.Viewer);

        var page = Render();

        Assert.Empty(page.FindAll("[data-testid=silence-form]"));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.DisposeAsync().AsTask();
}
