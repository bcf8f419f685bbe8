using Ioc.Dashboard.E2E.Shared;
using Microsoft.Playwright;
using Xunit;

namespace Ioc.Dashboard.E2E;

/// <summary>
/// Every main page at a wall size and a laptop size: saved for review, and checked for horizontal overflow and for
/// Content-Security-Policy violations (the policy must let Blazor Server and MudBlazor work untouched).
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class ScreenshotTests(DashboardServer server)
{
    public static TheoryData<string, string, int, int> Pages()
    {
        var data = new TheoryData<string, string, int, int>();
        (string Name, string Path, string Ready)[] pages =
        [
            ("overview", "overview", "[data-testid=wall-map]"),
            ("kiosk", "overview?kiosk=1", "[data-testid=kiosk]"),
            ("alerts", "alerts", "[data-testid=alert-row]"),
            ("alert-detail", "alerts/1", "[data-testid=alert-title]"),
            ("silences", "silences", "[data-testid=silence-form]"),
            ("events", "events", "[data-testid=event-list]"),
            ("devices", "devices", "[data-testid=device-row]"),
            ("device-detail", "devices/dc-tinh/env-sensor/DC-ENV-01", "[data-testid=device-chart] svg"),
            ("datacenter", "datacenter", "[data-testid=dc-rack]"),
            ("uptime", "uptime?range=30d", "[data-testid=uptime-dc]"),
            ("topology", "topology", "[data-testid=topology-node]"),
            ("dead-letters", "dead-letters", "[data-testid=dead-letter-row]"),
            ("users", "admin/users", "[data-testid=user-row]"),
            ("audit", "admin/audit", "[data-testid=audit-row]"),
        ];
        foreach (var (width, height) in new[] { (1920, 1080), (1366, 768) })
        {
            foreach (var (name, path, ready) in pages)
            {
                data.Add($"{name}|{ready}", path, width, height);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_AtSize_RendersWithoutHorizontalOverflow(string nameAndReady, string path, int width, int height)
    {
        // Arrange
        var (name, ready) = (nameAndReady.Split('|')[0], nameAndReady.Split('|')[1]);
        await using var context = await server.NewContextAsync(width, height);
        var csp = await CspWatch.AttachAsync(context);
        var page = await DashboardServer.LoginAsync(context, "admin", DashboardServer.AdminPassword, path);

        await page.WaitForSelectorAsync(ready, new PageWaitForSelectorOptions { Timeout = 15_000 });

        // Act: a fresh load of the page, timed until its content and the live circuit are there.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await page.GotoAsync(path);
        await page.WaitForSelectorAsync(ready, new PageWaitForSelectorOptions { Timeout = 15_000 });
        await page.WaitForSelectorAsync("[data-interactive=yes]", new PageWaitForSelectorOptions { Timeout = 15_000 });
        clock.Stop();
        await File.AppendAllTextAsync(Path.Combine(DashboardServer.ArtifactsDirectory, "page-timings.txt"), $"{name} {width}x{height} {clock.ElapsedMilliseconds} ms{Environment.NewLine}");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var file = Path.Combine(DashboardServer.ArtifactsDirectory, $"{name}-{width}x{height}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file });
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        var kioskOverflow = name == "kiosk"
            ? await page.EvaluateAsync<int>("() => { const k = document.querySelector('[data-testid=kiosk]'); return k.scrollHeight - k.clientHeight; }")
            : 0;

        // Assert
        Assert.True(File.Exists(file));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"{name} took {clock.ElapsedMilliseconds} ms to become live.");
        Assert.True(overflow <= 0, $"{name} at {width}x{height} is {overflow}px wider than the window.");
        Assert.True(kioskOverflow <= 0, $"the wall screen at {width}x{height} is {kioskOverflow}px taller than the screen.");
        Assert.Empty(csp.Violations);
    }
}
