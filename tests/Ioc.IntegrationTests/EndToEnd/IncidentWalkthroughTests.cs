using System.Diagnostics;
using System.Globalization;
using Ioc.Alerting.Service;
using Ioc.Contract.Alerts;
using Ioc.Dashboard.Security;
using Ioc.IntegrationTests.Infrastructure;
using Ioc.Simulators.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Ioc.IntegrationTests.EndToEnd;

/// <summary>
/// The operator's first ten minutes, as the README's first command gives them: the all-in-one host with the whole
/// simulated Hải Dương province, the real alert engine and the dashboard in headless Chromium. The fibre to Thanh Hà is
/// cut and CRAC-B1 fails at once; the SOC console, the data-center page and the wall screen must each show the incident
/// the way their users need it, and every page is photographed during the incident at two sizes in both languages.
/// </summary>
public sealed class IncidentWalkthroughTests : IAsyncLifetime
{
    private const string Password = "incident-e2e-password";
    private AllInOneHost _host = null!;
    private DashboardBrowser _browser = null!;

    private static string Artifacts => Path.Combine(DashboardBrowser.Artifacts, "incident");

    public async Task InitializeAsync()
    {
        _host = await AllInOneHost.StartAsync("--Ioc:Simulators:Backfill=00:02:00", $"--Ioc:Dashboard:AdminPassword={Password}");
        var users = _host.Services.GetRequiredService<UserStore>();
        await users.CreateAsync("op1", "Nguyễn Văn An", Roles.Operator, Password, CancellationToken.None);
        await users.CreateAsync("eng1", "Trần Thị Bình", Roles.Engineer, Password, CancellationToken.None);
        await users.CreateAsync("boss", "Lê Văn Cường", Roles.Viewer, Password, CancellationToken.None);
        _browser = await DashboardBrowser.LaunchAsync(_host.BaseUrl, Password);
        Directory.CreateDirectory(Artifacts);
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task FibreCutAndCracFailure_EachUserSeesTheIncidentFirst()
    {
        // Arrange: the operator watches the console, IT staff the data-center page, leadership the wall screen.
        var console = await _browser.LoginAsync("op1", "alerts", 1920, 1080);
        var dataCenter = await _browser.LoginAsync("eng1", "datacenter", 1920, 1080);
        var wall = await _browser.LoginAsync("boss", "overview?kiosk=1", 1920, 1080);
        var alerts = _host.Services.GetRequiredService<IAlertQueries>();

        // Act: the fibre to Thanh Hà is cut.
        var runner = _host.Services.GetRequiredService<IScenarioRunner>();
        runner.Start("district-fibre-cut,district=thanh-ha,duration=30m");

        // Assert: the engine raises the district-down incident (the last wills arrive 90 s after the cut) ...
        Alert? districtDown = null;
        await Wait.UntilAsync(
            async () => (districtDown = (await alerts.ListOpenAsync(new AlertFilter { RuleId = "district-down" }, CancellationToken.None)).FirstOrDefault()) is not null,
            TimeSpan.FromSeconds(180),
            "the engine raises district-down for Thanh Hà");
        var raisedAt = Stopwatch.StartNew();

        // ... and within 5 s it is the first row of the console, its device alerts folded under it and counted.
        var first = console.Locator("[data-testid=incident-row]").First;
        await Assertions.Expect(first).ToHaveAttributeAsync("data-alert-id", districtDown!.Id.ToString(CultureInfo.InvariantCulture), new() { Timeout = 5_000 });
        var elapsed = raisedAt.Elapsed;
        await Wait.UntilAsync(
            async () =>
            {
                var details = await alerts.GetAsync(districtDown.Id, CancellationToken.None);
                var open = details?.Children.Count(c => c.IsOpen) ?? 0;
                var shown = await first.GetAttributeAsync("data-child-count");
                return open >= 77 && shown == open.ToString(CultureInfo.InvariantCulture);
            },
            TimeSpan.FromSeconds(60),
            "the incident row counts every open device alert folded under it (at least 77)");
        Assert.Equal(1, await console.Locator("[data-testid=incident-row]", new() { HasText = "Thanh Hà" }).CountAsync());
        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"the incident reached the console {elapsed.TotalMilliseconds:F0} ms after the engine raised it");

        // The wall screen shows Thanh Hà red on the map.
        await Assertions.Expect(wall.Locator("[data-testid=map-district][data-district=thanh-ha]"))
            .ToHaveAttributeAsync("data-health", "down", new() { Timeout = 30_000 });

        // Then the compressor of CRAC-B1 fails.
        runner.Start("crac-failure,row=B,duration=30m");

        // The CRAC failure is on row B of the data-center page, in the failed state.
        var crac = dataCenter.Locator("[data-testid=dc-row][data-row=B] [data-testid=dc-unit][data-kind=crac]").First;
        await Assertions.Expect(crac).ToHaveAttributeAsync("data-state", "failed", new() { Timeout = 120_000 });

        // A comment on the incident appears once after one click.
        await console.GotoAsync($"alerts/{districtDown.Id}");
        await console.WaitForSelectorAsync("[data-interactive=yes]");
        const string comment = "Đã gọi VNPT Hải Dương, đội kỹ thuật đang tới Thanh Hà";
        await console.FillAsync("[data-testid=comment-input]", comment);
        await console.ClickAsync("[data-testid=comment-submit]");
        await Assertions.Expect(console.Locator("[data-testid=timeline-entry]", new() { HasText = comment })).ToHaveCountAsync(1, new() { Timeout = 10_000 });

        // Every page, during the incident, at the wall size and the laptop size, in Vietnamese and English.
        await PhotographEveryPageAsync(districtDown.Id);
    }

    private async Task PhotographEveryPageAsync(long incidentId)
    {
        (string Name, string Path)[] pages =
        [
            ("overview", "overview"), ("kiosk", "overview?kiosk=1"), ("alerts", "alerts"), ("alert-detail", $"alerts/{incidentId}"),
            ("silences", "silences"), ("events", "events"), ("devices", "devices"), ("datacenter", "datacenter"),
            ("uptime", "uptime"), ("topology", "topology"), ("dead-letters", "dead-letters"), ("users", "admin/users"),
            ("audit", "admin/audit"), ("device-credentials", "admin/devices"), ("rules", "rules"), ("reports", "reports"),
            ("notification-channels", "admin/notifications"), ("api-tokens", "admin/api-tokens"),
        ];
        var timings = new List<string>();
        foreach (var culture in new[] { "vi-VN", "en-US" })
        {
            foreach (var (width, height) in new[] { (1920, 1080), (1366, 768) })
            {
                var page = await _browser.LoginAsync("admin", "overview", width, height);
                await page.GotoAsync($"account/culture?culture={culture}&redirectUri={Uri.EscapeDataString("/overview")}");
                foreach (var (name, path) in pages)
                {
                    var clock = Stopwatch.StartNew();
                    await page.GotoAsync(path);
                    await page.WaitForSelectorAsync("[data-interactive=yes]", new() { Timeout = 20_000 });
                    await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                    timings.Add($"{name} {culture} {width}x{height} {clock.ElapsedMilliseconds} ms");
                    await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts, $"{name}-{culture[..2]}-{width}x{height}.png") });
                }

                await page.Context.CloseAsync();
            }
        }

        await File.WriteAllLinesAsync(Path.Combine(Artifacts, "page-timings.txt"), timings);
    }
}
