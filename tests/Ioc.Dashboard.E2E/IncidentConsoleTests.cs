using System.Globalization;
using Ioc.Contract.Alerts;
using Ioc.Dashboard.E2E.Shared;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Ioc.Dashboard.E2E;

/// <summary>The SOC console in Chromium: a district down is one incident with its devices folded; actions take one click.</summary>
[Collection(DashboardCollection.Name)]
public sealed class IncidentConsoleTests(DashboardServer server)
{
    [Fact]
    public async Task Operator_DistrictDownWith77Devices_SeesOneIncidentFirst_ExpandsIt_CommentsOnceWithOneClick()
    {
        // Arrange: a warning and a major elsewhere, 77 access points of Thanh Hà offline, then the district alert over them.
        server.Alerts.Add(AlertSeverity.Warning, "dc-tinh/env-sensor/DC-ENV-02", "dc-tinh", rule: "dc-inlet-warm", kind: "threshold", deviceId: "DC-ENV-02", deviceType: "env-sensor", summary: "DC-ENV-02: inlet 28.1 °C");
        server.Alerts.Add(AlertSeverity.Major, "src_ip=198.51.100.9", null, rule: "brute-force", kind: "event_count", summary: "Brute force from 198.51.100.9");
        var children = new List<long>();
        for (var i = 1; i <= 77; i++)
        {
            var id = $"TH-AP-{i:0000}";
            children.Add(server.Alerts.Add(AlertSeverity.Major, $"thanh-ha-xa-{i}/wifi-ap/{id}", $"thanh-ha-xa-{i}", deviceId: id, deviceType: "wifi-ap", district: "thanh-ha", summary: $"{id} is offline").Id);
        }

        var district = server.Alerts.Add(AlertSeverity.Critical, "district thanh-ha", null, rule: "district-down", kind: "composite", district: "thanh-ha", value: 77, summary: "District thanh-ha: 77 devices offline");
        server.Alerts.Link(district.Id, children);
        await using var context = await server.NewContextAsync();

        // Act 1: the console opens on incidents.
        var page = await DashboardServer.LoginAsync(context, "op1", DashboardServer.UserPassword, "alerts");

        // Assert 1: the district is the first line, its 77 devices folded and counted; no device line shows.
        var first = page.Locator("[data-testid=incident-row]").First;
        await Expect(first).ToHaveAttributeAsync("data-alert-id", district.Id.ToString(CultureInfo.InvariantCulture));
        await Expect(first).ToHaveAttributeAsync("data-child-count", "77");
        await Expect(first.Locator("[data-testid=incident-count]")).ToHaveTextAsync("77 thiết bị");
        await Expect(first.Locator("[data-testid=alert-subject]")).ToHaveTextAsync("Thanh Hà");
        var childLines = page.Locator($"[data-testid=alert-row][data-parent-id='{district.Id}']");
        await Expect(childLines).ToHaveCountAsync(0);

        // Act 2: expand it.
        await first.Locator("[data-testid=incident-expand]").ClickAsync();

        // Assert 2: its devices, in words, under it.
        await Expect(first).ToHaveAttributeAsync("data-expanded", "true");
        await Expect(childLines.First).ToBeVisibleAsync();
        await Expect(childLines.First.Locator("[data-testid=alert-subject]")).ToContainTextAsync("Điểm phát Wi-Fi");
        await Expect(childLines.First.Locator("[data-testid=alert-place]")).ToContainTextAsync("Thanh Hà · ");

        // Act 3: open the incident and comment with one click.
        await first.Locator("[data-testid=alert-subject]").ClickAsync();
        await Expect(page.Locator("[data-testid=alert-children]")).ToContainTextAsync("77");
        await page.Locator("[data-testid=comment-input]").FillAsync("Đã báo đội cáp quang Thanh Hà");
        await page.Locator("[data-testid=comment-submit]").ClickAsync();

        // Assert 3: confirmed, and shown once, also after the engine's change has come back through the live feed.
        await Expect(page.Locator(".mud-snackbar", new PageLocatorOptions { HasText = "Đã thêm ghi chú" })).ToBeVisibleAsync();
        var entries = page.Locator("[data-testid=timeline-entry]", new PageLocatorOptions { HasText = "Đã báo đội cáp quang Thanh Hà" });
        await Expect(entries).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-testid=comment-input]")).ToHaveValueAsync(string.Empty);
        Assert.Single(server.Alerts.Calls, c => c == $"comment:{district.Id}:op1");
        await page.ReloadAsync();
        // The reloaded page is prerendered first: a click before its circuit is live is lost (seen in a full run).
        await page.WaitForSelectorAsync("[data-interactive=yes]", new PageWaitForSelectorOptions { Timeout = 15_000 });
        await Expect(page.Locator("[data-testid=timeline-entry]").Last).ToBeVisibleAsync();
        await Expect(entries).ToHaveCountAsync(1);

        // Act 4: resolve the incident: one click, the engine takes its devices along (and the console is clean for the next test).
        await page.Locator("[data-testid=detail-resolve]").ClickAsync();

        // Assert 4
        await Expect(page.Locator("[data-testid=alert-state]")).ToHaveTextAsync("Đã xử lý");
        await Expect(page.Locator("[data-testid=alert-child][data-state=resolved]")).ToHaveCountAsync(77);
    }
}
