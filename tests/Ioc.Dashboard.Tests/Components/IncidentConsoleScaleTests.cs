using System.Diagnostics;
using System.Globalization;
using Bunit;
using Ioc.Contract.Alerts;
using Ioc.Dashboard.Security;
using Ioc.Dashboard.Tests.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Xunit.Abstractions;
using AlertsPage = Ioc.Dashboard.Components.Pages.Alerts;

namespace Ioc.Dashboard.Tests.Components;

/// <summary>A province-wide outage: thousands of open alerts read in one query, folded and ordered in the page.</summary>
public sealed class IncidentConsoleScaleTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly DashboardTestContext _ctx = new();

    [Fact]
    public void Render_5000OpenAlerts_FoldsIntoIncidentsQuicklyAndKeepsUpWithLiveChanges()
    {
        // Arrange: 12 districts down with 400 devices each, and 200 alerts standing alone.
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("vi-VN");
        _ctx.SignInAs("op1", Roles.Operator);
        var districts = new[] { "chi-linh", "kinh-mon", "nam-sach", "kim-thanh", "cam-giang", "hai-duong", "thanh-ha", "binh-giang", "gia-loc", "tu-ky", "thanh-mien", "ninh-giang" };
        foreach (var district in districts)
        {
            var children = new List<long>();
            for (var i = 0; i < 400; i++)
            {
                var id = $"{district}-AP-{i:0000}";
                children.Add(_ctx.Alerts.Add(AlertSeverity.Major, id, $"{district}-xa-{i % 20}", deviceId: id, deviceType: "wifi-ap", district: district, summary: $"{id} is offline").Id);
            }

            _ctx.Alerts.Link(_ctx.Alerts.Add(AlertSeverity.Critical, "district " + district, null, rule: "district-down", kind: "composite", district: district, value: 400).Id, children);
        }

        for (var i = 0; i < 200; i++)
        {
            _ctx.Alerts.Add((AlertSeverity)(i % 5), $"dc-tinh/server/DC-SRV-{i:000}", "dc-tinh", deviceId: $"DC-SRV-{i:000}", deviceType: "server", summary: "CPU high");
        }

        // Act 1
        var watch = Stopwatch.StartNew();
        var page = _ctx.Render<AlertsPage>();
        var firstRender = watch.Elapsed;
        var firstRefresh = page.Instance.LastRefresh;

        // Act 2: one more device falls under Thanh Hà, announced live.
        var reads = _ctx.Alerts.Reads;
        watch.Restart();
        var more = _ctx.Alerts.Add(AlertSeverity.Major, "thanh-ha-AP-9999", "thanh-ha-xa-1", deviceId: "thanh-ha-AP-9999", deviceType: "wifi-ap", district: "thanh-ha");
        _ctx.Alerts.Link(page.Instance.Shown.First(i => i.Head.District == "thanh-ha").Id, [more.Id]);
        _ctx.FlushLive();
        page.WaitForAssertion(() => Assert.Equal("401", page.Find("[data-testid=incident-row][data-child-count='401']").GetAttribute("data-child-count")));
        var liveUpdate = watch.Elapsed;
        var liveRefresh = page.Instance.LastRefresh;
        var readsForLiveUpdate = _ctx.Alerts.Reads - reads;

        // Act 3: a search without diacritics over every alert's words.
        watch.Restart();
        _ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("alerts?q=may%20chu");
        page.WaitForAssertion(() => Assert.Equal(200, page.Instance.Shown.Count), TimeSpan.FromSeconds(10));
        var search = watch.Elapsed;
        var searchRefresh = page.Instance.LastRefresh;

        // Assert: one read per refresh, whatever the number of lines; the page's own work (fold, narrow, order) is well under
        // a second for 5,012 alerts when the machine is not shared (bound loosely: the test suite runs in parallel on 2 cores).
        // The bUnit figures add bUnit's markup diffing of every line (a browser renders only the lines in view: Virtualize).
        Assert.Equal(1, readsForLiveUpdate);
        output.WriteLine($"5,012 open alerts: refresh (query+fold+order) first {Ms(firstRefresh)}, live {Ms(liveRefresh)}, search {Ms(searchRefresh)}; bUnit end to end: first render {Ms(firstRender)}, live update {Ms(liveUpdate)}, search {Ms(search)}");
        Assert.True(firstRefresh < TimeSpan.FromSeconds(3), $"first refresh took {firstRefresh}");
        Assert.True(liveRefresh < TimeSpan.FromSeconds(3), $"live refresh took {liveRefresh}");
        Assert.True(searchRefresh < TimeSpan.FromSeconds(3), $"search refresh took {searchRefresh}");
    }

    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.DisposeAsync().AsTask();
}
