using Ioc.AllInOne;
using Ioc.Dashboard.Security;
using Ioc.IntegrationTests.Infrastructure;
using Ioc.Simulators.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Ioc.IntegrationTests.EndToEnd;

/// <summary>
/// The README's first command as a user meets it: the all-in-one host with its embedded broker, collector, real alert
/// engine and a simulated fleet, driven through headless Chromium. A scenario started on the fleet must reach the
/// operator's console live, be acknowledged there, move the wall screen, and stay out of a viewer's reach.
/// </summary>
public sealed class AllInOneSystemTests : IAsyncLifetime
{
    private const string Password = "all-in-one-e2e-password";
    private readonly string _folder = Directory.CreateTempSubdirectory("ioc-e2e-aio-").FullName;
    private WebApplication _app = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private string _baseUrl = string.Empty;

    public async Task InitializeAsync()
    {
        var httpPort = FreePort.Next();
        var mqttPort = FreePort.Next();
        _baseUrl = $"http://127.0.0.1:{httpPort}/";
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(AllInOneExtensions).Assembly.GetName().Name,
            Args =
            [
                $"--Urls=http://127.0.0.1:{httpPort}",
                $"--Ioc:Broker:Port={mqttPort}",
                $"--Ioc:Storage:Sqlite:Path={_folder}/ioc.db",
                $"--Ioc:Collector:SpoolPath={_folder}/spool",
                "--Ioc:Collector:BatchInterval=00:00:00.100",
                $"--Ioc:Simulators:FleetFile={Path.Combine(RepositoryRoot.Path, "simulators", "fleets", "small.json")}",
                "--Ioc:Simulators:Backfill=00:00:00",
                $"--Ioc:Dashboard:AdminPassword={Password}",
                "--Logging:LogLevel:Default=Warning",
            ],
        });
        builder.AddAllInOne();
        _app = builder.Build();
        _app.MapAllInOne();
        await _app.StartAsync();
        var users = _app.Services.GetRequiredService<UserStore>();
        await users.CreateAsync("op1", "Nguyễn Văn An", Roles.Operator, Password, CancellationToken.None);
        await users.CreateAsync("boss", "Lê Văn Cường", Roles.Viewer, Password, CancellationToken.None);

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task BruteForceScenario_AppearsLiveForTheOperator_IsAcknowledged_MovesTheWallScreen_AndViewerCannotAct()
    {
        // Arrange: the operator watches the console, the leadership wall screen shows the overview, a viewer watches too.
        var operatorPage = await LoginAsync("op1", "alerts");
        var wallScreen = await LoginAsync("boss", "overview?kiosk=1");
        var viewerPage = await LoginAsync("boss", "alerts");
        var majorBefore = await TileNumberAsync(wallScreen, "wall-open-major");
        var rowsBefore = await operatorPage.Locator("[data-testid=alert-row]").CountAsync();

        // Act: an attacker starts guessing passwords on the internet-edge firewall.
        _app.Services.GetRequiredService<IScenarioRunner>().Start("brute-force,rate=600,src_ip=198.51.100.23,duration=2m");

        // Assert: the alert arrives in the open console without a reload.
        var row = operatorPage.Locator("[data-testid=alert-row]", new() { HasText = "198.51.100.23" });
        await Assertions.Expect(row).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        Assert.True(await operatorPage.Locator("[data-testid=alert-row]").CountAsync() > rowsBefore);

        // The wall screen counts it, live.
        await Wait.UntilAsync(async () => await TileNumberAsync(wallScreen, "wall-open-major") == majorBefore + 1, TimeSpan.FromSeconds(30), "wall screen shows one more major alert");

        // A viewer sees it but cannot acknowledge it.
        var viewerRow = viewerPage.Locator("[data-testid=alert-row]", new() { HasText = "198.51.100.23" });
        await Assertions.Expect(viewerRow).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Assertions.Expect(viewerRow.Locator("[data-testid=ack]")).ToBeDisabledAsync();

        // The operator acknowledges it; the engine records who did.
        await row.Locator("[data-testid=ack]").ClickAsync();
        await Assertions.Expect(row).ToHaveAttributeAsync("data-state", "acknowledged", new() { Timeout = 15_000 });
        var alerts = _app.Services.GetRequiredService<Ioc.Alerting.Service.IAlertService>();
        var open = await alerts.ListOpenAsync(new Ioc.Contract.Alerts.AlertFilter { RuleId = "brute-force" }, CancellationToken.None);
        var acknowledged = Assert.Single(open, a => a.Subject.Contains("198.51.100.23", StringComparison.Ordinal));
        Assert.Equal(Ioc.Contract.Alerts.AlertState.Acknowledged, acknowledged.State);
        Assert.Equal("op1", acknowledged.AcknowledgedBy);
        // The all-in-one registered the simulated fleet's sites at start: the alert names the firewall's site in words.
        Assert.StartsWith("Dò mật khẩu từ 198.51.100.23 vào tường lửa CORE-FW-EDGE (Lõi mạng tỉnh): ", acknowledged.Texts!.Summary.Vi, StringComparison.Ordinal);
        Assert.StartsWith("Brute force from 198.51.100.23 against firewall CORE-FW-EDGE (Provincial core network): ", acknowledged.Texts.Summary.En, StringComparison.Ordinal);

        var artifacts = Environment.GetEnvironmentVariable("IOC_E2E_ARTIFACTS") is { Length: > 0 } dir ? dir : Path.Combine(RepositoryRoot.Path, "artifacts", "e2e");
        Directory.CreateDirectory(artifacts);
        await operatorPage.ScreenshotAsync(new() { Path = Path.Combine(artifacts, "all-in-one-alerts-1920x1080.png") });
        await wallScreen.ScreenshotAsync(new() { Path = Path.Combine(artifacts, "all-in-one-kiosk-1920x1080.png") });
    }

    private async Task<IPage> LoginAsync(string user, string path)
    {
        var context = await _browser.NewContextAsync(new() { BaseURL = _baseUrl, ViewportSize = new() { Width = 1920, Height = 1080 }, Locale = "vi-VN" });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"login?returnUrl={Uri.EscapeDataString("/" + path)}");
        await page.FillAsync("[data-testid=login-user]", user);
        await page.FillAsync("[data-testid=login-password]", Password);
        await page.ClickAsync("[data-testid=login-submit]");
        await page.WaitForSelectorAsync("[data-interactive=yes]", new() { Timeout = 20_000 });
        return page;
    }

    private static async Task<int> TileNumberAsync(IPage page, string testId)
    {
        var text = await page.Locator($"[data-testid={testId}-value]").InnerTextAsync();
        var digits = new string(text.Where(char.IsAsciiDigit).ToArray());
        return digits.Length == 0 ? 0 : int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
    }
}
