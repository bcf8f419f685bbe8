using Ioc.Contract.Alerts;
using Ioc.Dashboard.E2E.Shared;
using Microsoft.Playwright;
using Xunit;

namespace Ioc.Dashboard.E2E;

/// <summary>The leadership wall screen in Chromium: the map reacts to a district-down, and nothing is cut at wall or laptop size.</summary>
[Collection(DashboardCollection.Name)]
public sealed class WallTests(DashboardServer server)
{
    [Fact]
    public async Task Wall_DistrictDownForThanhHa_ShapeTurnsRedAndCountsAgree()
    {
        // Arrange
        await using var context = await server.NewContextAsync(1920, 1080);
        var page = await DashboardServer.LoginAsync(context, "boss", DashboardServer.UserPassword, "overview?kiosk=1");
        var thanhHa = page.Locator("[data-testid=map-district][data-district=thanh-ha]");
        await Assertions.Expect(thanhHa).Not.ToHaveAttributeAsync("data-health", "down");
        var raised = new List<Alert>();

        try
        {
            // Act: the engine's view — 12 of Thanh Hà's commune APs offline, then the district-down that counts them.
            foreach (var ap in FleetSeed.Devices().Select(d => d.Device).Where(d => d.Site.StartsWith("thanh-ha-", StringComparison.Ordinal)))
            {
                raised.Add(server.Alerts.Add(AlertSeverity.Major, $"{ap.DeviceId} mất kết nối", ap.Site, rule: "device-offline", kind: "offline", deviceId: ap.DeviceId));
            }

            raised.Add(server.Alerts.Add(AlertSeverity.Critical, "Thanh Hà", "thanh-ha", rule: "district-down", kind: "composite", summary: $"District thanh-ha: {raised.Count} devices offline"));

            // Assert
            await Assertions.Expect(thanhHa).ToHaveAttributeAsync("data-health", "down", new() { Timeout = 10_000 });
            var fill = await thanhHa.EvaluateAsync<string>("e => getComputedStyle(e).fill");
            Assert.Equal("rgb(198, 40, 40)", fill);
            Assert.Equal("12", await thanhHa.GetAttributeAsync("data-offline"));
            Assert.Equal("12", await page.Locator("[data-testid=wall-worst-district][data-district=thanh-ha]").GetAttributeAsync("data-offline"));
            Assert.Equal("12 mất kết nối", await page.Locator("[data-testid=map-offline][data-district=thanh-ha]").TextContentAsync());
            foreach (var (width, height) in new[] { (1920, 1080), (1366, 768) })
            {
                await page.SetViewportSizeAsync(width, height);
                await AssertNothingCutAsync(page, $"kiosk {width}x{height}");
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardServer.ArtifactsDirectory, $"wall-district-down-{width}x{height}.png") });
            }
        }
        finally
        {
            foreach (var alert in raised)
            {
                await server.Alerts.ResolveAsync(alert.Id, "e2e", null, CancellationToken.None);
            }
        }

        await Assertions.Expect(thanhHa).Not.ToHaveAttributeAsync("data-health", "down", new() { Timeout = 10_000 });
    }

    [Theory]
    [InlineData("overview", 1920, 1080)]
    [InlineData("overview", 1366, 768)]
    [InlineData("overview?kiosk=1", 1920, 1080)]
    [InlineData("overview?kiosk=1", 1366, 768)]
    public async Task Wall_AtSize_EveryFigureAndAxisFullyVisible(string path, int width, int height)
    {
        // Arrange
        await using var context = await server.NewContextAsync(width, height);
        var page = await DashboardServer.LoginAsync(context, "boss", DashboardServer.UserPassword, path);
        await page.WaitForSelectorAsync("[data-testid=wall-history-tick]", new PageWaitForSelectorOptions { Timeout = 15_000 });

        // Act
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardServer.ArtifactsDirectory, $"wall-{(path.Contains("kiosk", StringComparison.Ordinal) ? "kiosk" : "page")}-{width}x{height}.png"), FullPage = true });

        // Assert
        await AssertNothingCutAsync(page, $"{path} {width}x{height}");
        Assert.Equal(12, await page.Locator("[data-testid=map-district]").CountAsync());
        Assert.True(await page.Locator("[data-testid=map-commune]").CountAsync() >= 36);
    }

    /// <summary>Every wall figure, label and axis tick is inside its box and, on the kiosk, inside the screen.</summary>
    private static async Task AssertNothingCutAsync(IPage page, string what)
    {
        var problems = await page.EvaluateAsync<string[]>(
            """
            () => {
              const kiosk = !!document.querySelector('[data-testid=kiosk]');
              const selectors = ['[data-testid=wall-map]', '[data-testid=wall-incidents]', '[data-testid=wall-security]', '[data-testid=wall-dc]',
                '[data-testid=wall-mtta]', '[data-testid=wall-mttr]', '[data-testid=wall-history]', '.ioc-wall-value', '.ioc-wall-big',
                '.ioc-wall-label', '[data-testid=wall-history-tick]', '.ioc-wall-yaxis span', '.ioc-wall h2', '.ioc-wall-row', '.ioc-wall-pair > div'];
              const out = [];
              for (const selector of selectors) {
                const all = document.querySelectorAll(selector);
                if (all.length === 0) out.push(`${selector}: missing`);
                for (const e of all) {
                  const r = e.getBoundingClientRect();
                  if (e.scrollWidth > e.clientWidth + 1) out.push(`${selector} '${e.textContent.trim()}': text wider than its box (${e.scrollWidth} > ${e.clientWidth})`);
                  if (r.width === 0 || r.height === 0) out.push(`${selector} '${e.textContent.trim()}': not shown`);
                  if (r.left < -1 || r.right > window.innerWidth + 1) out.push(`${selector} '${e.textContent.trim()}': outside the screen horizontally`);
                  if (kiosk && (r.top < -1 || r.bottom > window.innerHeight + 1)) out.push(`${selector} '${e.textContent.trim()}': below the screen`);
                  const card = e.closest('.ioc-wall-card');
                  if (card && card !== e) {
                    const c = card.getBoundingClientRect();
                    if (r.bottom > c.bottom + 1 || r.right > c.right + 1) out.push(`${selector} '${e.textContent.trim()}': cut by its card`);
                  }
                }
              }
              const pairs = [...document.querySelectorAll('.ioc-wall-pair')].map(p => [...p.children].map(c => c.getBoundingClientRect()));
              for (const [a, b] of pairs) {
                if (a && b && a.right > b.left + 1 && a.bottom > b.top + 1 && b.bottom > a.top + 1) out.push('two figures of a card overlap');
              }
              if (document.documentElement.scrollWidth > window.innerWidth) out.push('page wider than the window');
              return out;
            }
            """);
        Assert.True(problems.Length == 0, $"{what}: {string.Join("; ", problems)}");
    }
}
