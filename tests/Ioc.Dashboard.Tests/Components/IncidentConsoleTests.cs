using System.Globalization;
using Bunit;
using Ioc.Contract.Alerts;
using Ioc.Dashboard.Security;
using Ioc.Dashboard.Tests.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using AlertDetailPage = Ioc.Dashboard.Components.Pages.AlertDetail;
using AlertsPage = Ioc.Dashboard.Components.Pages.Alerts;

namespace Ioc.Dashboard.Tests.Components;

/// <summary>The console lists incidents: a district-down alert is one line with its device alerts folded under it.</summary>
public sealed class IncidentConsoleTests : IAsyncLifetime
{
    private readonly DashboardTestContext _ctx = new();

    public IncidentConsoleTests()
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("en-US");
    }

    [Fact]
    public void Render_DistrictDownWith77Children_IsOneLineWithTheCountFolded()
    {
        // Arrange: the fibre cut in Thanh Hà: the device alerts fire first, the district alert over them, then a CRAC.
        _ctx.SignInAs("op1", Roles.Operator);
        var district = FibreCut(77);
        _ctx.Time.Advance(TimeSpan.FromMinutes(1));
        var crac = _ctx.Alerts.Add(AlertSeverity.Critical, "dc-tinh/cooling/DC-CRAC-01", "dc-tinh", rule: "crac-failure", kind: "state", deviceId: "DC-CRAC-01", deviceType: "cooling", summary: "DC-CRAC-01 compressor fault");
        var brute = _ctx.Alerts.Add(AlertSeverity.Major, "src_ip=203.0.113.7", null, rule: "brute-force", kind: "event_count", summary: "Brute force from 203.0.113.7");

        // Act
        var page = _ctx.Render<AlertsPage>();

        // Assert: three incidents, most severe and newest first; the district one carries its 77 devices.
        var incidents = page.FindAll("[data-testid=incident-row]");
        Assert.Equal([crac.Id, district.Id, brute.Id], incidents.Select(Id).ToList());
        var line = incidents[1];
        Assert.Equal("77", line.GetAttribute("data-child-count"));
        Assert.Equal("77 devices", line.QuerySelector("[data-testid=incident-count]")!.TextContent);
        Assert.Equal("Thanh Ha", line.QuerySelector("[data-testid=alert-subject]")!.TextContent);
        Assert.Equal(3, page.FindAll("[data-testid=alert-row]").Count);
        Assert.Contains("3 incidents · 80 alerts", page.Find("[data-testid=alert-counts]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Expand_Incident_ShowsItsDevicesInWordsUnderIt()
    {
        // Arrange
        _ctx.SignInAs("op1", Roles.Operator);
        var district = FibreCut(5);
        var page = _ctx.Render<AlertsPage>();

        // Act
        page.Find("[data-testid=incident-expand]").Click();

        // Assert
        var rows = page.FindAll("[data-testid=alert-row]");
        Assert.Equal(6, rows.Count);
        Assert.Equal("true", page.Find("[data-testid=incident-row]").GetAttribute("data-expanded"));
        var child = rows[1];
        Assert.Equal(district.Id.ToString(CultureInfo.InvariantCulture), child.GetAttribute("data-parent-id"));
        Assert.Equal("TH-AP-0005 · Wi-Fi access point", child.QuerySelector("[data-testid=alert-subject]")!.TextContent);
        Assert.Equal("Thanh Ha · Xa 5", child.QuerySelector("[data-testid=alert-place]")!.TextContent);
    }

    [Fact]
    public async Task Render_Ordering_SeverityThenFiringBeforeAcknowledgedThenNewestFirst()
    {
        // Arrange
        _ctx.SignInAs("op1", Roles.Operator);
        var oldMajor = _ctx.Alerts.Add(AlertSeverity.Major, "old major", "nam-sach");
        _ctx.Time.Advance(TimeSpan.FromMinutes(1));
        var ackedCritical = _ctx.Alerts.Add(AlertSeverity.Critical, "acked critical", "gia-loc");
        _ctx.Time.Advance(TimeSpan.FromMinutes(1));
        var oldCritical = _ctx.Alerts.Add(AlertSeverity.Critical, "old critical", "tu-ky");
        _ctx.Time.Advance(TimeSpan.FromMinutes(1));
        var newMajor = _ctx.Alerts.Add(AlertSeverity.Major, "new major", "kim-thanh");
        _ctx.Time.Advance(TimeSpan.FromMinutes(1));
        var newCritical = _ctx.Alerts.Add(AlertSeverity.Critical, "new critical", "chi-linh");
        var warning = _ctx.Alerts.Add(AlertSeverity.Warning, "warning", "ninh-giang");
        await _ctx.Alerts.AcknowledgeAsync(ackedCritical.Id, "op2", null, CancellationToken.None);

        // Act
        var page = _ctx.Render<AlertsPage>();

        // Assert
        Assert.Equal(
            [newCritical.Id, oldCritical.Id, ackedCritical.Id, newMajor.Id, oldMajor.Id, warning.Id],
            page.FindAll("[data-testid=incident-row]").Select(Id).ToList());
    }

    [Theory]
    [InlineData("vi-VN", "thanh ha")]
    [InlineData("vi-VN", "Thanh Hà")]
    [InlineData("vi-VN", "THANH HA")]
    [InlineData("en-US", "thanh ha")]
    public void Search_DistrictNameWithOrWithoutDiacritics_FindsTheIncident(string culture, string query)
    {
        // Arrange
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo(culture);
        _ctx.SignInAs("op1", Roles.Operator);
        var district = FibreCut(3);
        _ctx.Alerts.Add(AlertSeverity.Major, "Router down", "nam-sach", deviceId: "NS-RT-01", deviceType: "router");
        _ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("alerts?q=" + Uri.EscapeDataString(query));

        // Act
        var page = _ctx.Render<AlertsPage>();

        // Assert
        var line = Assert.Single(page.FindAll("[data-testid=incident-row]"));
        Assert.Equal(district.Id, Id(line));
        Assert.Equal("3", line.GetAttribute("data-child-count"));
    }

    [Fact]
    public void Search_DeviceTypeInVietnameseWithoutDiacritics_FindsTheDevice()
    {
        // Arrange
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("vi-VN");
        _ctx.SignInAs("op1", Roles.Operator);
        var crac = _ctx.Alerts.Add(AlertSeverity.Critical, "dc-tinh/cooling/DC-CRAC-01", "dc-tinh", deviceId: "DC-CRAC-01", deviceType: "cooling", summary: "DC-CRAC-01 compressor fault");
        _ctx.Alerts.Add(AlertSeverity.Major, "Router down", "nam-sach", deviceId: "NS-RT-01", deviceType: "router");
        _ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("alerts?q=dieu%20hoa");

        // Act
        var page = _ctx.Render<AlertsPage>();

        // Assert
        var line = Assert.Single(page.FindAll("[data-testid=incident-row]"));
        Assert.Equal(crac.Id, Id(line));
        Assert.Equal("DC-CRAC-01 · Điều hòa chính xác", line.QuerySelector("[data-testid=alert-subject]")!.TextContent);
    }

    [Fact]
    public void Filter_SeverityOfTheGroup_KeepsItsChildrenFoldedAndCounted()
    {
        // Arrange: the children are major, the district alert critical; filtering on critical keeps the whole incident.
        _ctx.SignInAs("op1", Roles.Operator);
        var district = FibreCut(12);
        _ctx.Alerts.Add(AlertSeverity.Major, "Router down", "nam-sach");
        _ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("alerts?sev=critical&district=thanh-ha");

        // Act
        var page = _ctx.Render<AlertsPage>();

        // Assert
        var line = Assert.Single(page.FindAll("[data-testid=incident-row]"));
        Assert.Equal(district.Id, Id(line));
        Assert.Equal("12", line.GetAttribute("data-child-count"));
    }

    [Fact]
    public void FlatToggle_ListsEveryAlertOnItsOwnLine()
    {
        // Arrange
        _ctx.SignInAs("op1", Roles.Operator);
        FibreCut(4);
        _ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("alerts?view=flat");

        // Act
        var page = _ctx.Render<AlertsPage>();

        // Assert
        Assert.Empty(page.FindAll("[data-testid=incident-row]"));
        Assert.Equal(5, page.FindAll("[data-testid=alert-row]").Count);
    }

    [Fact]
    public async Task Acknowledge_Incident_OneClickAcknowledgesItsChildrenAndSaysSo()
    {
        // Arrange
        _ctx.SignInAs("op1", Roles.Operator);
        var district = FibreCut(7);
        var page = _ctx.Render<AlertsPage>();

        // Act: one click on the incident's acknowledge.
        page.Find("[data-testid=incident-row] [data-testid=ack]").Click();

        // Assert: one command, the engine took the children along, the operator is told.
        page.WaitForAssertion(() => Assert.Equal("acknowledged", page.Find("[data-testid=incident-row] [data-testid=alert-row]").GetAttribute("data-state")));
        Assert.Equal([$"acknowledged:{district.Id}:op1"], _ctx.Alerts.Calls);
        var all = await _ctx.Alerts.ListOpenAsync(null, CancellationToken.None);
        Assert.All(all, a => Assert.Equal(AlertState.Acknowledged, a.State));
        page.Find("[data-testid=incident-expand]").Click();
        Assert.All(page.FindAll("[data-testid=alert-row]"), r => Assert.Equal("acknowledged", r.GetAttribute("data-state")));
    }

    [Fact]
    public async Task LiveUpdate_WhilePointerOverTheList_ShownLinesStayInPlace_NewOnesComeInOrder()
    {
        // Arrange: two majors and a minor; the operator's pointer is over the list.
        _ctx.SignInAs("op1", Roles.Operator);
        var older = _ctx.Alerts.Add(AlertSeverity.Major, "Router down", "nam-sach");
        var minor = _ctx.Alerts.Add(AlertSeverity.Minor, "AP offline", "gia-loc");
        _ctx.Time.Advance(TimeSpan.FromSeconds(5));
        var top = _ctx.Alerts.Add(AlertSeverity.Major, "Switch down", "tu-ky");
        var page = _ctx.Render<AlertsPage>();
        Assert.Equal([top.Id, older.Id, minor.Id], page.FindAll("[data-testid=incident-row]").Select(Id).ToList());
        page.Find("[data-testid=alert-list]").MouseEnter();

        // Act: the top line is acknowledged (it would move below the firing major) and a warning and a critical arrive.
        await _ctx.Alerts.AcknowledgeAsync(top.Id, "op2", null, CancellationToken.None);
        var warning = _ctx.Alerts.Add(AlertSeverity.Warning, "Inlet warm", "dc-tinh");
        var critical = _ctx.Alerts.Add(AlertSeverity.Critical, "Core switch down", "dc-tinh");
        _ctx.FlushLive();

        // Assert: the acknowledged line stays where the pointer is, fresh; the newcomers are in, each where it sorts.
        page.WaitForAssertion(() => Assert.Equal("acknowledged", page.Find($"[data-testid=alert-row][data-alert-id='{top.Id}']").GetAttribute("data-state")));
        Assert.Equal([critical.Id, top.Id, older.Id, minor.Id, warning.Id], page.FindAll("[data-testid=incident-row]").Select(Id).ToList());

        // Act 2: the pointer leaves.
        page.Find("[data-testid=alert-list]").MouseLeave();

        // Assert 2: the full order again.
        Assert.Equal([critical.Id, older.Id, top.Id, minor.Id, warning.Id], page.FindAll("[data-testid=incident-row]").Select(Id).ToList());
    }

    [Fact]
    public void Comment_OneClick_AppearsOnceInTheTimeline()
    {
        // Arrange
        _ctx.SignInAs("op1", Roles.Operator);
        var alert = _ctx.Alerts.Add(AlertSeverity.Major, "Router down", "nam-sach", deviceId: "NS-RT-01", deviceType: "router");
        var page = _ctx.Render<AlertDetailPage>(p => p.Add(x => x.Id, alert.Id));

        // Act: typing enables the button at once (no blur needed); one click.
        page.Find("[data-testid=comment-input]").Input("Đã báo đội cáp quang");
        Assert.False(page.Find("[data-testid=comment-submit]").HasAttribute("disabled"));
        page.Find("[data-testid=comment-submit]").Click();
        _ctx.FlushLive();

        // Assert
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=timeline-entry]"), e => e.TextContent.Contains("Đã báo đội cáp quang", StringComparison.Ordinal)));
        Assert.Equal([$"comment:{alert.Id}:op1"], _ctx.Alerts.Calls);
        Assert.Equal(string.Empty, page.Find("[data-testid=comment-input]").GetAttribute("value") ?? string.Empty);
        Assert.Equal("NS-RT-01 · Router", page.Find("[data-testid=alert-device]").TextContent);
    }

    [Fact]
    public void Comment_EnterInTheField_Submits()
    {
        // Arrange
        _ctx.SignInAs("op1", Roles.Operator);
        var alert = _ctx.Alerts.Add(AlertSeverity.Major, "Router down", "nam-sach");
        var page = _ctx.Render<AlertDetailPage>(p => p.Add(x => x.Id, alert.Id));

        // Act
        page.Find("[data-testid=comment-input]").Input("checking the uplink");
        page.Find("[data-testid=comment-input]").KeyDown("Enter");

        // Assert
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=timeline-entry]"), e => e.TextContent.Contains("checking the uplink", StringComparison.Ordinal)));
        Assert.Equal([$"comment:{alert.Id}:op1"], _ctx.Alerts.Calls);
    }

    [Fact]
    public void Assign_OneClickOnDetail_AssignsAndShowsWho()
    {
        // Arrange
        _ctx.SignInAs("op1", Roles.Operator);
        var alert = _ctx.Alerts.Add(AlertSeverity.Major, "Router down", "nam-sach");
        var page = _ctx.Render<AlertDetailPage>(p => p.Add(x => x.Id, alert.Id));

        // Act
        page.Find("[data-testid=assign-input]").Input("minh.tran");
        page.Find("[data-testid=assign-submit]").Click();

        // Assert
        page.WaitForAssertion(() => Assert.Contains("minh.tran", page.Markup, StringComparison.Ordinal));
        Assert.Equal([$"assigned:{alert.Id}:op1"], _ctx.Alerts.Calls);
    }

    [Fact]
    public void Detail_AsViewer_CannotComment()
    {
        // Arrange
        _ctx.SignInAs("boss", Roles.Viewer);
        var alert = _ctx.Alerts.Add(AlertSeverity.Major, "Router down", "nam-sach");

        // Act
        var page = _ctx.Render<AlertDetailPage>(p => p.Add(x => x.Id, alert.Id));

        // Assert
        Assert.True(page.Find("[data-testid=comment-input]").HasAttribute("disabled"));
        Assert.True(page.Find("[data-testid=comment-submit]").HasAttribute("disabled"));
        Assert.True(page.Find("[data-testid=detail-ack]").HasAttribute("disabled"));
        Assert.True(page.Find("[data-testid=assign-submit]").HasAttribute("disabled"));
    }

    /// <summary>A district-down alert for Thanh Hà over <paramref name="children"/> access-point alerts (newest first: TH-AP-{n}).</summary>
    private Alert FibreCut(int children)
    {
        var ids = new List<Alert>();
        for (var i = 1; i <= children; i++)
        {
            var id = $"TH-AP-{i:0000}";
            ids.Add(_ctx.Alerts.Add(AlertSeverity.Major, $"thanh-ha-xa-{i}/wifi-ap/{id}", $"thanh-ha-xa-{i}", deviceId: id, deviceType: "wifi-ap", district: "thanh-ha", summary: $"{id} is offline"));
        }

        var parent = _ctx.Alerts.Add(AlertSeverity.Critical, "district thanh-ha", null, rule: "district-down", kind: "composite", district: "thanh-ha", value: children, summary: $"District thanh-ha: {children} devices offline");
        _ctx.Alerts.Link(parent.Id, ids.Select(a => a.Id));
        return parent;
    }

    private static long Id(AngleSharp.Dom.IElement row) => long.Parse(row.GetAttribute("data-alert-id")!, CultureInfo.InvariantCulture);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.DisposeAsync().AsTask();
}
