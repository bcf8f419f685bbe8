using System.Globalization;
using Bunit;
using Ioc.Contract.Alerts;
using Ioc.Dashboard.Security;
using Ioc.Dashboard.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using AlertsPage = Ioc.Dashboard.Components.Pages.Alerts;

namespace Ioc.Dashboard.Tests.Components;

public sealed class AlertsPageTests : IAsyncLifetime
{
    private readonly DashboardTestContext _ctx = new();

    public AlertsPageTests()
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("en-US");
    }

    [Fact]
    public void Render_OpenAlerts_ListsThemWithSeverityAndState()
    {
        // Arrange
        _ctx.SignInAs("op1", Roles.Operator);
        _ctx.Alerts.Add(AlertSeverity.Critical, "UPS on battery", "dc-tinh");
        _ctx.Alerts.Add(AlertSeverity.Minor, "AP offline", "thanh-ha");

        // Act
        var page = _ctx.Render<AlertsPage>();

        // Assert: the most severe first.
        var rows = page.FindAll("[data-testid=alert-row]");
        Assert.Equal(2, rows.Count);
        Assert.Contains("AP offline", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Equal("firing", rows[0].GetAttribute("data-state"));
        Assert.Contains("Critical", rows[0].QuerySelector("[data-testid=severity]")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_AlertWithSummary_ShowsWhatHappenedUnderTheSubject()
    {
        // Arrange: two alerts on one sensor from different rules must be told apart.
        _ctx.Alerts.Add(AlertSeverity.Warning, "dc-tinh/env-sensor/DC-B02-ENV", "dc-tinh", rule: "dc-inlet-warm", summary: "DC-B02-ENV: inlet 31.2 °C > 30");
        _ctx.Alerts.Add(AlertSeverity.Warning, "dc-tinh/env-sensor/DC-B02-ENV", "dc-tinh", rule: "dc-temp-rising", summary: "DC-B02-ENV: inlet rising 0.02 °C/s");

        // Act
        var page = _ctx.Render<AlertsPage>();

        // Assert
        var summaries = page.FindAll("[data-testid=alert-summary]").Select(e => e.TextContent).Order().ToList();
        Assert.Equal(["DC-B02-ENV: inlet 31.2 °C > 30", "DC-B02-ENV: inlet rising 0.02 °C/s"], summaries);
    }

    [Fact]
    public async Task Acknowledge_AsOperator_CallsEngineAndAudits()
    {
        // Arrange
        _ctx.SignInAs("op1", Roles.Operator);
        var alert = _ctx.Alerts.Add(AlertSeverity.Major, "Router down", "nam-sach");
        var page = _ctx.Render<AlertsPage>();

        // Act
        page.Find("[data-testid=ack]").Click();

        // Assert
        page.WaitForAssertion(() => Assert.Equal("acknowledged", page.Find("[data-testid=alert-row]").GetAttribute("data-state")));
        Assert.Contains($"acknowledged:{alert.Id}:op1", _ctx.Alerts.Calls);
        var audit = await _ctx.Services.GetRequiredService<AuditLog>().ListAsync(10, "op1", CancellationToken.None);
        Assert.Contains(audit, e => e.Action == "alert.acknowledge" && e.Allowed && e.Target == alert.Id.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Render_AsViewer_ActionsAreDisabled()
    {
        // Arrange
        _ctx.SignInAs("boss", Roles.Viewer);
        _ctx.Alerts.Add(AlertSeverity.Critical, "UPS on battery", "dc-tinh");

        // Act
        var page = _ctx.Render<AlertsPage>();

        // Assert
        Assert.True(page.Find("[data-testid=ack]").HasAttribute("disabled"));
        Assert.True(page.Find("[data-testid=resolve]").HasAttribute("disabled"));
        Assert.True(page.Find("[data-testid=bulk-ack] ").HasAttribute("disabled"));
    }

    [Fact]
    public async Task AcknowledgeAsync_AsViewerBypassingUi_IsRefusedAndAudited()
    {
        // Arrange
        _ctx.SignInAs("boss", Roles.Viewer);
        var alert = _ctx.Alerts.Add(AlertSeverity.Critical, "UPS on battery", "dc-tinh");
        var page = _ctx.Render<AlertsPage>();

        // Act
        await page.InvokeAsync(() => page.Instance.AcknowledgeAsync([alert.Id]));

        // Assert
        Assert.Empty(_ctx.Alerts.Calls);
        var audit = await _ctx.Services.GetRequiredService<AuditLog>().ListAsync(10, "boss", CancellationToken.None);
        Assert.Contains(audit, e => e.Action == "alert.acknowledge" && !e.Allowed);
    }

    [Fact]
    public void EngineChange_NewCriticalAlert_AppearsWithCueWithoutReload()
    {
        // Arrange
        _ctx.SignInAs("op1", Roles.Operator);
        var page = _ctx.Render<AlertsPage>();
        Assert.Empty(page.FindAll("[data-testid=alert-row]"));

        // Act
        _ctx.Alerts.Add(AlertSeverity.Critical, "Core switch down", "dc-tinh");
        _ctx.FlushLive();

        // Assert
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=alert-row]")));
        Assert.NotNull(page.Find("[data-testid=new-critical]"));
        _ctx.JSInterop.VerifyInvoke("iocDashboard.alertCue");
    }

    [Fact]
    public async Task Render_WithoutAlertEngine_SaysNotConnected()
    {
        // Arrange
        await using var ctx = new DashboardTestContext(withAlertEngine: false);
        ctx.SignInAs("op1", Roles.Operator);

        // Act
        var page = ctx.Render<AlertsPage>();

        // Assert
        Assert.NotNull(page.Find("[data-testid=alert-engine-missing]"));
    }

    [Fact]
    public void BuildFilter_QueryParameters_MapToEngineFilter()
    {
        // Arrange
        _ctx.SignInAs("op1", Roles.Operator);
        _ctx.Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().NavigateTo("alerts?view=flat&sev=critical&state=resolved&site=dc-tinh&q=ups");

        // Act
        var filter = _ctx.Render<AlertsPage>().Instance.BuildFilter();

        // Assert
        Assert.Equal(AlertSeverity.Critical, filter.MinSeverity);
        Assert.Equal(AlertState.Resolved, filter.State);
        Assert.Equal("dc-tinh", filter.Site);
        Assert.Equal(2_000, filter.Limit);
    }

    [Fact]
    public void Render_SeverityAndSearch_NarrowTheStoreAnswer()
    {
        // Arrange: the store is asked for "major or worse"; the page keeps exactly major, matching the text.
        _ctx.SignInAs("op1", Roles.Operator);
        _ctx.Alerts.Add(AlertSeverity.Critical, "UPS DC-UPS-01 on battery", "dc-tinh");
        _ctx.Alerts.Add(AlertSeverity.Major, "UPS DC-UPS-02 on battery", "dc-tinh");
        _ctx.Alerts.Add(AlertSeverity.Major, "Router down", "nam-sach");
        _ctx.Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().NavigateTo("alerts?sev=major&q=ups");

        // Act
        var page = _ctx.Render<AlertsPage>();

        // Assert
        var row = Assert.Single(page.FindAll("[data-testid=alert-row]"));
        Assert.Contains("DC-UPS-02", row.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Acknowledge_AlreadyAcknowledgedElsewhere_ShowsTheEnginesReason()
    {
        // Arrange: another operator acknowledged it after this page loaded.
        _ctx.SignInAs("op1", Roles.Operator);
        var alert = _ctx.Alerts.Add(AlertSeverity.Major, "Router down", "nam-sach");
        var page = _ctx.Render<AlertsPage>();
        var ack = page.Find("[data-testid=ack]");
        await _ctx.Alerts.AcknowledgeAsync(alert.Id, "op2", null, CancellationToken.None);

        // Act
        ack.Click();

        // Assert: refused by the engine, not by the page; the row shows the engine's state.
        page.WaitForAssertion(() => Assert.Equal("acknowledged", page.Find("[data-testid=alert-row]").GetAttribute("data-state")));
        Assert.Equal([$"acknowledged:{alert.Id}:op2", $"acknowledged:{alert.Id}:op1"], _ctx.Alerts.Calls);
    }

    [Fact]
    public void BuildFilter_IncidentView_ReadsEverySeverityAndSiteSoGroupsComeWhole()
    {
        // Arrange
        _ctx.SignInAs("op1", Roles.Operator);
        _ctx.Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().NavigateTo("alerts?sev=critical&site=dc-tinh");

        // Act
        var filter = _ctx.Render<AlertsPage>().Instance.BuildFilter();

        // Assert
        Assert.Null(filter.MinSeverity);
        Assert.Null(filter.Site);
        Assert.True(filter.Limit >= 10_000);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.DisposeAsync().AsTask();
}
