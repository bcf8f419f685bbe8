using System.Globalization;
using Bunit;
using Ioc.Alerting.Hosting;
using Ioc.Alerting.Notifications;
using Ioc.Contract.Alerts;
using Ioc.Dashboard.Security;
using Ioc.Dashboard.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using NotificationChannelsPage = Ioc.Dashboard.Components.Pages.NotificationChannels;

namespace Ioc.Dashboard.Tests.Components;

/// <summary>The administrators' list of notification channels: routing in words, no secrets, a test message that is audited.</summary>
public sealed class NotificationChannelsTests : IAsyncLifetime
{
    private readonly DashboardTestContext _ctx = new();
    private readonly RecordingTester _tester;

    public NotificationChannelsTests()
    {
        var options = new AlertingOptions();
        options.Notifications.Telegram.Add(new TelegramOptions
        {
            Name = "truc-ca",
            BotToken = "123456:SECRET-bot-token",
            ChatIds = ["-1001", "-1002"],
            MinSeverity = AlertSeverity.Major,
            Districts = ["thanh-ha"],
            QuietHours = new QuietHoursOptions { From = "22:00", To = "06:00" },
        });
        options.Notifications.Webhooks.Add(new WebhookOptions { Name = "teams-soc", Url = "https://prod.westeurope.logic.azure.com/workflows/abc/triggers?sig=SECRET", Template = WebhookTemplate.Teams, Language = Ioc.Alerting.Text.Language.En });
        _tester = new RecordingTester(NotificationTester.Channels(options.Notifications));
        _ctx.Services.AddSingleton<INotificationTester>(_tester);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.DisposeAsync().AsTask();

    [Fact]
    public void Render_Vietnamese_ListsChannelsWithRoutingInWordsAndNoSecrets()
    {
        // Arrange
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("vi-VN");
        _ctx.SignInAs("admin", Roles.Admin);

        // Act
        var page = _ctx.Render<NotificationChannelsPage>();

        // Assert
        var rows = page.FindAll("[data-testid=channel-row]");
        Assert.Equal(["truc-ca", "teams-soc"], rows.Select(r => r.GetAttribute("data-name")).ToList());
        Assert.Contains("-1001, -1002", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("huyện: Thanh Hà", rows[0].QuerySelector("[data-testid=channel-routing]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("22:00–06:00", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("Tiếng Việt", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("Microsoft Teams", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("Tiếng Anh", rows[1].TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendTest_AsAdmin_SendsThroughTheEngineShowsEachRecipientAndAudits()
    {
        // Arrange
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("en-US");
        _ctx.SignInAs("admin", Roles.Admin);
        var page = _ctx.Render<NotificationChannelsPage>();

        // Act
        page.FindAll("[data-testid=channel-test]")[0].Click();

        // Assert
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=channel-test-result]").Count));
        Assert.Equal([("telegram", "truc-ca", "admin")], _tester.Calls);
        var results = page.FindAll("[data-testid=channel-test-result]");
        Assert.Equal(["true", "false"], results.Select(r => r.GetAttribute("data-success")).ToList());
        Assert.Contains("Telegram 403: Forbidden: bot was blocked by the user", page.Find("[data-testid=channel-test-results]").TextContent, StringComparison.Ordinal);
        var audit = await _ctx.Services.GetRequiredService<AuditLog>().ListAsync(10, "admin", CancellationToken.None);
        Assert.Contains(audit, a => a.Action == "notification.test" && a.Target == "telegram/truc-ca" && a.Allowed);
    }

    [Fact]
    public async Task SendTest_AsOperator_IsRefusedAndAudited()
    {
        // Arrange: the page is for administrators; an operator reaching the handler is refused all the same.
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("vi-VN");
        _ctx.SignInAs("op1", Roles.Operator);
        var page = _ctx.Render<NotificationChannelsPage>();

        // Act
        page.FindAll("[data-testid=channel-test]")[0].Click();

        // Assert
        page.WaitForAssertion(() => Assert.Equal("Chỉ quản trị viên được gửi tin nhắn thử.", page.Find("[data-testid=channel-test-error]").TextContent));
        Assert.Empty(_tester.Calls);
        var audit = await _ctx.Services.GetRequiredService<AuditLog>().ListAsync(10, "op1", CancellationToken.None);
        Assert.Contains(audit, a => a.Action == "notification.test" && !a.Allowed);
    }

    private sealed class RecordingTester(IReadOnlyList<ChannelSummary> channels) : INotificationTester
    {
        public Task<IReadOnlyList<ChannelSummary>> ChannelsAsync(CancellationToken cancellationToken) => Task.FromResult(channels);

        public List<(string Channel, string Name, string User)> Calls { get; } = [];

        public Task<IReadOnlyList<TestDelivery>> SendTestAsync(string channel, string name, string user, CancellationToken cancellationToken)
        {
            Calls.Add((channel, name, user));
            return Task.FromResult<IReadOnlyList<TestDelivery>>(
                [new TestDelivery("truc-ca:-1001", true, "Telegram message 1 in chat -1001"), new TestDelivery("truc-ca:-1002", false, "Telegram 403: Forbidden: bot was blocked by the user")]);
        }
    }
}
