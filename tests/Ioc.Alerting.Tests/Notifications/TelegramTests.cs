using Ioc.Alerting.Tests.Shared;
using Ioc.Contract;
using Ioc.Contract.Alerts;
using Ioc.Storage.Operational;
using Microsoft.Extensions.DependencyInjection;

namespace Ioc.Alerting.Tests.Notifications;

/// <summary>
/// The engine fires an alert and the dispatcher delivers it through Telegram.Bot to a local fake of the Bot API
/// (<see cref="TestTelegramApi"/>, real HTTP on 127.0.0.1): the Vietnamese message with the alert's link, flood control
/// honoured, a blocked bot recorded as failed and not retried.
/// </summary>
public sealed class TelegramTests : IDisposable
{
    private const string Token = "123456:TEST-token-not-a-secret";
    private const string Chat = "-1001234567890";
    private static readonly DeviceAddress Sensor = new("thanh-ha-an-son", DeviceTypes.EnvironmentSensor, "TH-ENV-01");

    private const string HotRule = """
        {"id":"room-overheat","name":{"vi":"Phòng máy <A> & kho quá nhiệt","en":"Room <A> & store overheating"},"kind":"threshold","severity":"critical",
         "metric":"temp_c","op":">","value":35,"clear":32,"summary":{"vi":"Nhiệt độ {device} = {value} °C","en":"Temperature {device} = {value} °C"}}
        """;

    private readonly TestTelegramApi _api = new();

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task Telegram_AlertFires_FakeApiGetsVietnameseHtmlWithTheAlertLink()
    {
        await using var h = await CreateAsync();
        await h.TelemetryAsync(Sensor, """{"temp_c": 41.5}""");
        var alert = Assert.Single(await h.OpenAsync());

        h.Time.Advance(TimeSpan.FromSeconds(10));
        await h.Dispatcher.RunDueAsync(CancellationToken.None);

        var sent = Assert.Single(_api.Received);
        Assert.Equal(Token, sent.Token);
        Assert.Equal(Chat, sent.ChatId);
        // Telegram reads parse_mode case-insensitively; Telegram.Bot sends "Html".
        Assert.Equal("HTML", sent.ParseMode, ignoreCase: true);
        Assert.True(sent.LinkPreviewDisabled);
        Assert.Equal(
            $"""
            <b>🔴 Khẩn cấp · Cảnh báo mới #{alert.Id}</b>
            Nhiệt độ TH-ENV-01 = 41,5 °C
            <b>Quy tắc:</b> Phòng máy &lt;A&gt; &amp; kho quá nhiệt
            <b>Thiết bị:</b> TH-ENV-01 (cảm biến môi trường)
            <b>Địa điểm:</b> Thanh Hà · An Sơn &amp; &lt;Kho&gt;
            <b>Giá trị:</b> 41,5
            <b>Phát lúc:</b> 24/11/2026 15:02
            <a href="https://ioc.haiduong.gov.vn/alerts/{alert.Id}">Xem cảnh báo</a>
            """.ReplaceLineEndings("\n"),
            sent.Text);

        var notification = Assert.Single((await h.Service.GetAsync(alert.Id, CancellationToken.None))!.Notifications);
        Assert.Equal(("telegram", $"truc-ca:{Chat}", NotificationStatus.Delivered), (notification.Notification.Channel, notification.Notification.Target, notification.Notification.Status));
        Assert.Equal($"Telegram message 1 in chat {Chat}", Assert.Single(notification.Attempts).Detail);
    }

    [Fact]
    public async Task Telegram_ResolvedInEnglish_SaysResolvedWithTheLink()
    {
        await using var h = await CreateAsync(new() { ["Ioc:Alerting:Notifications:Telegram:0:Language"] = "en" });
        await h.TelemetryAsync(Sensor, """{"temp_c": 41.5}""");
        var alert = Assert.Single(await h.OpenAsync());
        h.Time.Advance(TimeSpan.FromSeconds(10));
        await h.Dispatcher.RunDueAsync(CancellationToken.None);
        h.Time.Advance(TimeSpan.FromMinutes(5));
        await h.TelemetryAsync(Sensor, """{"temp_c": 25}""");
        await h.Dispatcher.RunDueAsync(CancellationToken.None);

        var messages = _api.Received.ToList();
        Assert.Equal(2, messages.Count);
        Assert.StartsWith($"<b>🔴 Critical · Fired #{alert.Id}</b>\nTemperature TH-ENV-01 = 41.5 °C\n<b>Rule:</b> Room &lt;A&gt; &amp; store overheating", messages[0].Text);
        Assert.StartsWith($"<b>✅ Critical · Resolved #{alert.Id}</b>", messages[1].Text);
        Assert.Contains("<b>Resolved at:</b> 24/11/2026 15:07", messages[1].Text);
        Assert.EndsWith($"<a href=\"https://ioc.haiduong.gov.vn/alerts/{alert.Id}\">Open the alert</a>", messages[1].Text);
    }

    [Fact]
    public async Task Telegram_EscalationLevelNamesTheChannel_SendsEscalatedWithTheLevel()
    {
        await using var h = await CreateAsync(new()
        {
            ["Ioc:Alerting:Escalation:Levels:0:Name"] = "trực ca",
            ["Ioc:Alerting:Escalation:Levels:0:After"] = "00:05:00",
            ["Ioc:Alerting:Escalation:Levels:0:Telegram:0"] = "truc-ca",
        });
        await h.TelemetryAsync(Sensor, """{"temp_c": 41.5}""");
        var alert = Assert.Single(await h.OpenAsync());

        await h.AdvanceAsync(TimeSpan.FromMinutes(6), TimeSpan.FromSeconds(10));
        await h.Dispatcher.RunDueAsync(CancellationToken.None);

        var messages = _api.Received.ToList();
        Assert.Equal(2, messages.Count);
        Assert.StartsWith($"<b>🔴 Khẩn cấp · Leo thang #{alert.Id}</b>", messages[1].Text);
        Assert.Contains("<b>Cấp leo thang:</b> 1\n", messages[1].Text);
        var events = (await h.Outbox.ForAlertAsync(alert.Id, CancellationToken.None)).Select(n => (n.Event, n.Target, n.Status)).ToList();
        Assert.Equal([("fired", $"truc-ca:{Chat}", NotificationStatus.Delivered), ("escalated", $"truc-ca:{Chat}", NotificationStatus.Delivered)], events);
    }

    [Fact]
    public async Task Telegram_FloodControlThenSuccess_WaitsExactlyRetryAfter()
    {
        await using var h = await CreateAsync();
        _api.FloodControl(retryAfterSeconds: 30);
        await h.TelemetryAsync(Sensor, """{"temp_c": 41.5}""");
        var alert = Assert.Single(await h.OpenAsync());

        h.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, await h.Dispatcher.RunDueAsync(CancellationToken.None));
        h.Time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(0, await h.Dispatcher.RunDueAsync(CancellationToken.None));
        h.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await h.Dispatcher.RunDueAsync(CancellationToken.None));

        Assert.Equal([false, true], _api.Received.Select(m => m.Answered).ToList());
        var notification = Assert.Single((await h.Service.GetAsync(alert.Id, CancellationToken.None))!.Notifications);
        Assert.Equal(NotificationStatus.Delivered, notification.Notification.Status);
        Assert.Equal([false, true], notification.Attempts.Select(a => a.Success).ToList());
        Assert.Equal("Telegram 429: Too Many Requests: retry after 30 (retry after 30s)", notification.Attempts[0].Detail);
        Assert.Equal(TimeSpan.FromSeconds(30), notification.Attempts[1].At - notification.Attempts[0].At);
    }

    [Fact]
    public async Task Telegram_BotBlockedByTheUser_IsFailedWithTheReasonAndNotRetried()
    {
        await using var h = await CreateAsync();
        _api.BlockedByUser();
        await h.TelemetryAsync(Sensor, """{"temp_c": 41.5}""");
        var alert = Assert.Single(await h.OpenAsync());

        h.Time.Advance(TimeSpan.FromSeconds(10));
        await h.Dispatcher.RunDueAsync(CancellationToken.None);
        for (var i = 0; i < 5; i++)
        {
            h.Time.Advance(TimeSpan.FromMinutes(10));
            Assert.Equal(0, await h.Dispatcher.RunDueAsync(CancellationToken.None));
        }

        Assert.Single(_api.Received);
        var notification = Assert.Single((await h.Service.GetAsync(alert.Id, CancellationToken.None))!.Notifications);
        Assert.Equal(NotificationStatus.Failed, notification.Notification.Status);
        Assert.Equal("Telegram 403: Forbidden: bot was blocked by the user (permanent: not retried)", Assert.Single(notification.Attempts).Detail);
        Assert.Equal(notification.Attempts[0].Detail, notification.Notification.LastError);
    }

    private async Task<AlertingHarness> CreateAsync(Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Ioc:Dashboard:PublicUrl"] = "https://ioc.haiduong.gov.vn/",
            ["Ioc:Alerting:Notifications:Telegram:0:Name"] = "truc-ca",
            ["Ioc:Alerting:Notifications:Telegram:0:BotToken"] = Token,
            ["Ioc:Alerting:Notifications:Telegram:0:ChatIds:0"] = Chat,
            ["Ioc:Alerting:Notifications:Telegram:0:ApiUrl"] = _api.BaseUrl,
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(HotRule), settings);
        await h.Services.GetRequiredService<ISiteStore>().UpsertAsync(
            [
                new SiteRecord("thanh-ha", "Thanh Hà", "Thanh Ha", "thanh-ha", SiteKinds.District),
                new SiteRecord("thanh-ha-an-son", "An Sơn & <Kho>", "An Son & <Store>", "thanh-ha", SiteKinds.Commune),
            ],
            h.Now,
            CancellationToken.None);
        // The engine reloads the registry's names when they are a minute old.
        h.Time.Advance(TimeSpan.FromMinutes(2));
        return h;
    }
}
