using Ioc.Contract.Alerts;
using Ioc.Contract.Model;
using Ioc.Dashboard.E2E.Shared;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Ioc.Dashboard.E2E;

[Collection(DashboardCollection.Name)]
public sealed class DashboardFlowTests(DashboardServer server)
{
    [Theory]
    [InlineData("admin", DashboardServer.AdminPassword, "Quản trị")]
    [InlineData("op1", DashboardServer.UserPassword, "Vận hành (SOC)")]
    [InlineData("eng1", DashboardServer.UserPassword, "Kỹ sư (CNTT/TTDL)")]
    [InlineData("boss", DashboardServer.UserPassword, "Xem (lãnh đạo)")]
    public async Task Login_EachRole_LandsOnOverviewWithRoleShown(string user, string password, string roleText)
    {
        // Arrange
        await using var context = await server.NewContextAsync();

        // Act
        var page = await DashboardServer.LoginAsync(context, user, password);

        // Assert
        await Expect(page.Locator("[data-testid=current-user]")).ToContainTextAsync(roleText);
        await Expect(page.Locator("[data-testid=overview]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=feed-state]")).ToHaveAttributeAsync("data-connected", "true");
    }

    [Fact]
    public async Task AnyPage_WithoutLogin_RedirectsToLogin()
    {
        // Arrange
        await using var context = await server.NewContextAsync();
        var page = await context.NewPageAsync();

        // Act
        var response = await page.GotoAsync("alerts");
        var api = await context.APIRequest.GetAsync("api/uptime.csv", new APIRequestContextOptions { MaxRedirects = 0 });

        // Assert
        Assert.Contains("/login", page.Url, StringComparison.Ordinal);
        Assert.Equal(401, api.Status);
        Assert.NotNull(response);
    }

    [Fact]
    public async Task Login_WrongPasswordFiveTimes_RefusesThisBrowserWithTheUsualMessage()
    {
        // Arrange
        await using var context = await server.NewContextAsync();
        var page = await context.NewPageAsync();

        // Act
        for (var i = 0; i < 5; i++)
        {
            await page.GotoAsync("login");
            await page.FillAsync("[data-testid=login-user]", "locktest");
            await page.FillAsync("[data-testid=login-password]", "not-the-password");
            await page.ClickAsync("[data-testid=login-submit]");
        }

        await page.FillAsync("[data-testid=login-user]", "locktest");
        await page.FillAsync("[data-testid=login-password]", DashboardServer.UserPassword);
        await page.ClickAsync("[data-testid=login-submit]");

        // Assert: locked for this address, and told nothing more than "wrong name or password" (see LoginLimitTests).
        await Expect(page.Locator("[data-testid=login-error]")).ToHaveTextAsync("Sai tên đăng nhập hoặc mật khẩu.");
        Assert.Contains("/login", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Viewer_CannotAcknowledgeOrReachAdminPages()
    {
        // Arrange
        await using var context = await server.NewContextAsync();
        var page = await DashboardServer.LoginAsync(context, "boss", DashboardServer.UserPassword, "alerts");

        // Act / Assert: the actions are there but refused to this role.
        await Expect(page.Locator("[data-testid=alert-row]").First).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=ack]").First).ToBeDisabledAsync();
        await Expect(page.Locator("[data-testid=bulk-ack]")).ToBeDisabledAsync();
        await Expect(page.Locator("[data-testid=nav-users]")).ToHaveCountAsync(0);

        await page.GotoAsync("admin/users");
        await Expect(page.Locator("[data-testid=access-denied]")).ToBeVisibleAsync();
        await page.GotoAsync("dead-letters");
        await Expect(page.Locator("[data-testid=access-denied]")).ToBeVisibleAsync();
        var csv = await context.APIRequest.GetAsync("api/uptime.csv", new APIRequestContextOptions { MaxRedirects = 0 });
        Assert.NotEqual(200, csv.Status);
    }

    [Fact]
    public async Task Operator_NewCriticalAlertAppearsLive_AcknowledgesIt_OverviewFollows()
    {
        // Arrange: an operator on the console, a viewer on the overview.
        await using var operatorContext = await server.NewContextAsync();
        var console = await DashboardServer.LoginAsync(operatorContext, "op1", DashboardServer.UserPassword, "alerts");
        await using var viewerContext = await server.NewContextAsync();
        var overview = await DashboardServer.LoginAsync(viewerContext, "boss", DashboardServer.UserPassword, "overview");
        var criticalTile = overview.Locator("[data-testid=wall-open-critical-value]");
        var before = int.Parse(await criticalTile.InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);

        // Act: the alert engine fires and announces it on MQTT.
        var alert = server.Alerts.Add(AlertSeverity.Critical, "DC-UPS-02 chuyển sang chạy ắc quy", "dc-tinh", rule: "ups_on_battery", kind: "threshold", deviceId: "DC-UPS-02");
        await server.PublishAsync("ioc/v1/_system/alerts/events", $"{{\"change\":\"fired\",\"actor\":\"engine\",\"alert\":{{\"id\":{alert.Id},\"severity\":\"critical\",\"state\":\"firing\"}}}}");

        // Assert: it shows up without reload, with the cue, and the overview counts it.
        var row = console.Locator($"[data-testid=alert-row][data-alert-id='{alert.Id}']");
        await Expect(row).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 5_000 });
        await Expect(console.Locator("[data-testid=new-critical]")).ToBeVisibleAsync();
        await Expect(criticalTile).ToHaveTextAsync((before + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));

        await row.Locator("[data-testid=ack]").ClickAsync();
        await Expect(row).ToHaveAttributeAsync("data-state", "acknowledged");
        Assert.Contains($"acknowledged:{alert.Id}:op1", server.Alerts.Calls);
        await Expect(overview.Locator("[data-testid=wall-mtta-value]")).Not.ToHaveTextAsync("—");
    }

    [Fact]
    public async Task Operator_CreatesAndEndsMaintenanceWindow_ViewerSeesNoForm()
    {
        // Arrange
        await using var operatorContext = await server.NewContextAsync();
        var page = await DashboardServer.LoginAsync(operatorContext, "op1", DashboardServer.UserPassword, "silences");

        // Act
        await Field(page, "silence-matcher-site").FillAsync("kim thanh xa 2");
        await page.Locator("[data-testid=silence-matcher-site-option]").First.ClickAsync();
        await Field(page, "silence-reason").FillAsync("Thay bộ chuyển mạch xã");
        await page.ClickAsync("[data-testid=silence-submit]");

        // Assert
        var row = page.Locator("[data-testid=silence-row]", new PageLocatorOptions { HasText = "Thay bộ chuyển mạch xã" });
        await Expect(row).ToBeVisibleAsync();
        Assert.Contains("silence:op1", server.Alerts.Calls);
        await row.Locator("[data-testid=silence-expire]").ClickAsync();
        await Expect(row).ToHaveCountAsync(0);

        await using var viewerContext = await server.NewContextAsync();
        var viewer = await DashboardServer.LoginAsync(viewerContext, "boss", DashboardServer.UserPassword, "silences");
        await Expect(viewer.Locator("[data-testid=silence-form]")).ToHaveCountAsync(0);
    }

    private static ILocator Field(IPage page, string testId) =>
        page.Locator($"[data-testid={testId}]").Locator("xpath=self::input | .//input").First;

    [Fact]
    public async Task DeviceGoesOffline_DeviceListAndMapChangeWithoutReload()
    {
        // Arrange
        await using var context = await server.NewContextAsync();
        var page = await DashboardServer.LoginAsync(context, "op1", DashboardServer.UserPassword, "devices?q=GL-AP-1");
        var row = page.Locator("[data-testid=device-row][data-device='GL-AP-101']");
        await Expect(row.Locator("[data-testid=state-chip]")).ToHaveAttributeAsync("data-state", "online");

        // Act
        await server.PublishAsync("ioc/v1/gia-loc-xa-1/wifi-ap/GL-AP-101/status", "{\"state\":\"offline\"}", retain: true);

        // Assert
        await Expect(row.Locator("[data-testid=state-chip]")).ToHaveAttributeAsync("data-state", "offline", new LocatorAssertionsToHaveAttributeOptions { Timeout = 3_000 });
        await server.PublishAsync("ioc/v1/gia-loc-xa-1/wifi-ap/GL-AP-101/status", "{\"state\":\"online\"}", retain: true);
        await Expect(row.Locator("[data-testid=state-chip]")).ToHaveAttributeAsync("data-state", "online", new LocatorAssertionsToHaveAttributeOptions { Timeout = 3_000 });
    }

    [Fact]
    public async Task CultureSwitch_ToEnglish_TranslatesAndKeepsPage()
    {
        // Arrange
        await using var context = await server.NewContextAsync();
        var page = await DashboardServer.LoginAsync(context, "eng1", DashboardServer.UserPassword, "uptime");

        // Act
        await page.ClickAsync("[data-testid=culture-en]");
        await page.WaitForSelectorAsync("[data-interactive=yes]");

        // Assert
        Assert.Contains("/uptime", page.Url, StringComparison.Ordinal);
        await Expect(page.Locator("[data-testid=nav-overview]")).ToContainTextAsync("Overview");
        await page.ClickAsync("[data-testid=culture-vi]");
        await page.WaitForSelectorAsync("[data-interactive=yes]");
        await Expect(page.Locator("[data-testid=nav-overview]")).ToContainTextAsync("Tổng quan");
    }

    [Fact]
    public async Task UptimeCsv_AsEngineer_DownloadsDeviceRowsAndOutages()
    {
        // Arrange
        await using var context = await server.NewContextAsync();
        await DashboardServer.LoginAsync(context, "eng1", DashboardServer.UserPassword, "uptime");

        // Act
        var response = await context.APIRequest.GetAsync("api/uptime.csv?range=7d");
        var body = await response.TextAsync();

        // Assert
        Assert.Equal(200, response.Status);
        Assert.StartsWith("kind,key,observed_s", body, StringComparison.Ordinal);
        Assert.Contains("outage,dc-tinh/server/DC-SRV-03", body, StringComparison.Ordinal);
    }
}
