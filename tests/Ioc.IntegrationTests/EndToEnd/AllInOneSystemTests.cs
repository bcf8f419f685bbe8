using Ioc.Dashboard.Security;
using Ioc.IntegrationTests.Infrastructure;
using Ioc.Simulators.Hosting;
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
    private AllInOneHost _host = null!;
    private DashboardBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _host = await AllInOneHost.StartAsync(
            $"--Ioc:Simulators:FleetFile={Path.Combine(RepositoryRoot.Path, "simulators", "fleets", "small.json")}",
            "--Ioc:Simulators:Backfill=00:00:00",
            $"--Ioc:Dashboard:AdminPassword={Password}");
        var users = _host.Services.GetRequiredService<UserStore>();
        await users.CreateAsync("op1", "Nguyễn Văn An", Roles.Operator, Password, CancellationToken.None);
        await users.CreateAsync("boss", "Lê Văn Cường", Roles.Viewer, Password, CancellationToken.None);
        _browser = await DashboardBrowser.LaunchAsync(_host.BaseUrl, Password);
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task BruteForceScenario_AppearsLiveForTheOperator_IsAcknowledged_MovesTheWallScreen_AndViewerCannotAct()
    {
        // Arrange: the operator watches the console, the leadership wall screen shows the overview, a viewer watches too.
        var operatorPage = await _browser.LoginAsync("op1", "alerts");
        var wallScreen = await _browser.LoginAsync("boss", "overview?kiosk=1");
        var viewerPage = await _browser.LoginAsync("boss", "alerts");
        var majorBefore = await TileNumberAsync(wallScreen, "wall-open-major");
        var rowsBefore = await operatorPage.Locator("[data-testid=alert-row]").CountAsync();

        // Act: an attacker starts guessing passwords on the internet-edge firewall.
        _host.Services.GetRequiredService<IScenarioRunner>().Start("brute-force,rate=600,src_ip=198.51.100.23,duration=2m");

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
        var alerts = _host.Services.GetRequiredService<Ioc.Alerting.Service.IAlertService>();
        var open = await alerts.ListOpenAsync(new Ioc.Contract.Alerts.AlertFilter { RuleId = "brute-force" }, CancellationToken.None);
        var acknowledged = Assert.Single(open, a => a.Subject.Contains("198.51.100.23", StringComparison.Ordinal));
        Assert.Equal(Ioc.Contract.Alerts.AlertState.Acknowledged, acknowledged.State);
        Assert.Equal("op1", acknowledged.AcknowledgedBy);
        // The all-in-one registered the simulated fleet's sites at start: the alert names the firewall's site in words.
        Assert.StartsWith("Dò mật khẩu từ 198.51.100.23 vào tường lửa CORE-FW-EDGE (Lõi mạng tỉnh): ", acknowledged.Texts!.Summary.Vi, StringComparison.Ordinal);
        Assert.StartsWith("Brute force from 198.51.100.23 against firewall CORE-FW-EDGE (Provincial core network): ", acknowledged.Texts.Summary.En, StringComparison.Ordinal);

        var artifacts = DashboardBrowser.Artifacts;
        Directory.CreateDirectory(artifacts);
        await operatorPage.ScreenshotAsync(new() { Path = Path.Combine(artifacts, "all-in-one-alerts-1920x1080.png") });
        await wallScreen.ScreenshotAsync(new() { Path = Path.Combine(artifacts, "all-in-one-kiosk-1920x1080.png") });
    }

    private static async Task<int> TileNumberAsync(IPage page, string testId)
    {
        var text = await page.Locator($"[data-testid={testId}-value]").InnerTextAsync();
        var digits = new string(text.Where(char.IsAsciiDigit).ToArray());
        return digits.Length == 0 ? 0 : int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
    }
}
