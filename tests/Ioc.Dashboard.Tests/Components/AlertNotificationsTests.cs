using System.Globalization;
using Bunit;
using Ioc.Alerting.Notifications;
using Ioc.Contract.Alerts;
using Ioc.Dashboard.Security;
using Ioc.Dashboard.Tests.Shared;
using Xunit;
using AlertDetailPage = Ioc.Dashboard.Components.Pages.AlertDetail;

namespace Ioc.Dashboard.Tests.Components;

/// <summary>The alert's page shows what the outbox did per channel: sent, held for quiet hours, not sent and why, failed and why.</summary>
public sealed class AlertNotificationsTests : IAsyncLifetime
{
    private readonly DashboardTestContext _ctx = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.DisposeAsync().AsTask();

    [Theory]
    [InlineData("vi-VN", "Cảnh báo mới · Telegram", "Đã gửi", "Giữ lại trong giờ yên tĩnh đến 25/11/2026 06:00", "Không gửi", "cảnh báo đang bị tắt tiếng", "Gửi thất bại")]
    [InlineData("en-US", "Fired · Telegram", "Sent", "Held for quiet hours until 11/25/2026 6:00\u202FAM", "Not sent", "the alert was silenced", "Failed")]
    public void Detail_Notifications_ShowEveryChannelsOutcomeInWords(string culture, string firstLine, string sent, string held, string notSent, string silenced, string failed)
    {
        // Arrange
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo(culture);
        _ctx.SignInAs("op1", Roles.Operator);
        var alert = _ctx.Alerts.Add(AlertSeverity.Major, "Router down", "nam-sach", deviceId: "NS-RT-01", deviceType: "router");
        var at = _ctx.Time.GetUtcNow();
        _ctx.Alerts.AddNotification(alert.Id, new NotificationRecord(1, alert.Id, "fired", "telegram", "noc:-1001", NotificationStatus.Delivered, 1, at, at, null), new DeliveryAttempt(1, 1, 1, at, true, TimeSpan.FromMilliseconds(80), "Telegram message 7 in chat -1001"));
        _ctx.Alerts.AddNotification(alert.Id, new NotificationRecord(2, alert.Id, "fired", "webhook", "teams-soc", NotificationStatus.Pending, 0, at, new DateTimeOffset(2026, 11, 24, 23, 0, 0, TimeSpan.Zero), NotificationPlanner.HeldForQuietHours));
        _ctx.Alerts.AddNotification(alert.Id, new NotificationRecord(3, alert.Id, "fired", "email", "noc@haiduong.gov.vn", NotificationStatus.Suppressed, 0, at, at, "silenced"));
        _ctx.Alerts.AddNotification(alert.Id, new NotificationRecord(4, alert.Id, "fired", "telegram", "noc:-1002", NotificationStatus.Failed, 1, at, at, "Telegram 403: Forbidden: bot was blocked by the user (permanent: not retried)"));

        // Act
        var page = _ctx.Render<AlertDetailPage>(p => p.Add(x => x.Id, alert.Id));

        // Assert
        var rows = page.FindAll("[data-testid=notification]");
        Assert.Equal(["sent", "held", "suppressed", "failed"], rows.Select(r => r.GetAttribute("data-status")).ToList());
        Assert.StartsWith(firstLine, rows[0].TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal(sent, rows[0].QuerySelector("b")!.TextContent);
        Assert.Equal(held, rows[1].QuerySelector("b")!.TextContent);
        Assert.Equal(notSent, rows[2].QuerySelector("b")!.TextContent);
        Assert.Equal(failed, rows[3].QuerySelector("b")!.TextContent);
        var reasons = page.FindAll("[data-testid=notification-reason]").Select(r => r.TextContent).ToList();
        Assert.Contains(silenced, reasons);
        Assert.Contains("Telegram 403: Forbidden: bot was blocked by the user (permanent: not retried)", reasons);
    }
}
