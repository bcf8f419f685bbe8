using Ioc.Contract.Alerts;
using Ioc.Dashboard.E2E.Shared;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Ioc.Dashboard.E2E;

/// <summary>The data-center page in Chromium while a CRAC of row B fails: live, by its test ids, at both screen sizes.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DataCenterTests(DashboardServer server)
{
    private const string CracTopic = "ioc/v1/dc-tinh/cooling/DC-CRAC-B1/telemetry";

    [Theory]
    [InlineData(1920, 1080)]
    [InlineData(1366, 768)]
    public async Task CracFailureOnRowB_CracUnitInRowBShownFailedWithItsAlertAndAvailabilityDrops(int width, int height)
    {
        // Arrange
        await using var context = await server.NewContextAsync(width, height);
        var page = await DashboardServer.LoginAsync(context, "eng1", DashboardServer.UserPassword, "datacenter");
        var crac = page.Locator("[data-testid=dc-row][data-row=B] [data-testid=dc-unit][data-unit-id=DC-CRAC-B1]");
        await Expect(crac).ToHaveAttributeAsync("data-state", "running", new LocatorAssertionsToHaveAttributeOptions { Timeout = 10_000 });
        await Expect(crac).ToHaveAttributeAsync("data-kind", "crac");
        // Other tests of the collection may have left a critical DC alert open: compare with what the page says now.
        var availability = page.Locator("[data-testid=dc-availability]");
        var before = await availability.GetAttributeAsync("data-percent");
        await Expect(page.Locator("[data-testid=dc-unplaced]")).ToHaveCountAsync(0);

        Alert? alert = null;
        try
        {
            // Act: the compressor trips (telemetry on the broker) and the engine raises its critical alert.
            await server.PublishAsync(CracTopic, FleetSeed.CracJson("B", compressorOk: false), retain: true);
            alert = server.Alerts.Add(AlertSeverity.Critical, "DC-CRAC-B1: máy nén dừng", FleetSeed.DataCenter, rule: "crac-compressor-fault", kind: "event", deviceId: "DC-CRAC-B1");

            // Assert: failed in row B, in words; the alert listed beside the plan with its link; availability below 100 %.
            await Expect(crac).ToHaveAttributeAsync("data-state", "failed", new LocatorAssertionsToHaveAttributeOptions { Timeout = 5_000 });
            await Expect(crac).ToContainTextAsync("Hỏng");
            await Expect(crac).ToHaveAttributeAsync("data-severity", "critical");
            await Expect(page.Locator("[data-testid=dc-row][data-row=A] [data-testid=dc-unit][data-unit-id=DC-CRAC-A1]")).ToHaveAttributeAsync("data-state", "running");
            var listed = page.Locator($"[data-testid=dc-alerts] a[href='alerts/{alert.Id}']");
            await Expect(listed).ToHaveAttributeAsync("data-severity", "critical", new LocatorAssertionsToHaveAttributeOptions { Timeout = 5_000 });
            await Expect(listed).ToContainTextAsync("DC-CRAC-B1 · Dãy B");
            await Expect(availability).Not.ToHaveAttributeAsync("data-percent", before!);
            var percent = await availability.GetAttributeAsync("data-percent");
            Assert.True(Percent(percent) < Percent(before) && Percent(percent) < 100, $"availability {percent} (was {before}) with a CRAC down");

            var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > document.documentElement.clientWidth");
            Assert.False(overflow, $"the data-center page overflows horizontally at {width}×{height}");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardServer.ArtifactsDirectory, $"datacenter-crac-failure-{width}x{height}.png"), FullPage = true });

            // Act: repaired and resolved.
            await server.PublishAsync(CracTopic, FleetSeed.CracJson("B", compressorOk: true), retain: true);
            await server.Alerts.ResolveAsync(alert.Id, "eng1", "máy nén đã chạy lại", CancellationToken.None);
            alert = null;

            // Assert
            await Expect(crac).ToHaveAttributeAsync("data-state", "running", new LocatorAssertionsToHaveAttributeOptions { Timeout = 5_000 });
            await Expect(availability).ToHaveAttributeAsync("data-percent", before!, new LocatorAssertionsToHaveAttributeOptions { Timeout = 5_000 });
        }
        finally
        {
            // The server is shared by the collection: leave row B as it was.
            if (alert is not null)
            {
                await server.PublishAsync(CracTopic, FleetSeed.CracJson("B", compressorOk: true), retain: true);
                await server.Alerts.ResolveAsync(alert.Id, "eng1", null, CancellationToken.None);
            }
        }
    }

    private static double Percent(string? value) => double.Parse(value!, System.Globalization.CultureInfo.InvariantCulture);
}
