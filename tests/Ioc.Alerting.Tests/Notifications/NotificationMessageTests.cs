using System.Text;
using System.Text.Json;
using Ioc.Alerting.Hosting;
using Ioc.Alerting.Notifications;
using Ioc.Alerting.Tests.Shared;
using Ioc.Alerting.Text;
using Ioc.Contract;
using Ioc.Contract.Alerts;
using Ioc.Contract.Text;

namespace Ioc.Alerting.Tests.Notifications;

/// <summary>Golden checks of what people read: plain text, Telegram HTML, the Teams card, the Zalo message and the generic JSON; then Zalo and Teams over HTTP.</summary>
public sealed class NotificationMessageTests : IDisposable
{
    private static readonly DateTimeOffset FiredAt = new(2026, 11, 24, 8, 5, 0, TimeSpan.Zero);
    private static readonly TimeZoneInfo Vietnam = NotificationTemplate.FindZone("Asia/Ho_Chi_Minh");
    private readonly TestWebhookServer _webhook = new();

    public void Dispose() => _webhook.Dispose();

    [Fact]
    public void ToText_Vietnamese_HasSeverityRuleDevicePlaceValueLocalTimeAndLink()
    {
        var message = NotificationMessage.Build(Alert(), "fired", FiredAt, "https://ioc.haiduong.gov.vn/", new TestSiteNames(), Language.Vi, Vietnam);

        Assert.Equal(
            """
            🟠 Nghiêm trọng · Cảnh báo mới #42
            Mất kết nối TH-SW-01 quá 5 phút
            Quy tắc: Thiết bị mất kết nối
            Thiết bị: TH-SW-01 (bộ chuyển mạch)
            Địa điểm: Thanh Hà · An Sơn
            Giá trị: 312,5
            Phát lúc: 24/11/2026 15:05
            Xem cảnh báo: https://ioc.haiduong.gov.vn/alerts/42
            """.ReplaceLineEndings("\n"),
            message.ToText());
    }

    [Fact]
    public void ToTeamsCard_English_IsAnAdaptiveCardMessageWithFactsAndAnOpenButton()
    {
        var message = NotificationMessage.Build(Alert(), "escalated", FiredAt.AddMinutes(30), "https://ioc.haiduong.gov.vn", new TestSiteNames(), Language.En, Vietnam);

        // The relaxed encoder keeps Vietnamese letters; characters outside the BMP (the emoji) stay escaped, as JSON allows.
        var json = message.ToTeamsCard().ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

        Assert.Equal(
            """{"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","contentUrl":null,"content":{"$schema":"http://adaptivecards.io/schemas/adaptive-card.json","type":"AdaptiveCard","version":"1.4","body":[{"type":"TextBlock","text":"\uD83D\uDFE0 Major · Escalated #42","weight":"Bolder","size":"Medium","wrap":true,"color":"Attention"},{"type":"TextBlock","text":"TH-SW-01 offline for more than 5 min","wrap":true},{"type":"FactSet","facts":[{"title":"Rule","value":"Device offline"},{"title":"Device","value":"TH-SW-01 (switch)"},{"title":"Place","value":"Thanh Ha · An Son"},{"title":"Value","value":"312.5"},{"title":"Escalated at","value":"24/11/2026 15:35"},{"title":"Escalation level","value":"1"}]}],"actions":[{"type":"Action.OpenUrl","title":"Open the alert","url":"https://ioc.haiduong.gov.vn/alerts/42"}]}}]}""",
            json);
    }

    [Fact]
    public void ToZaloMessage_IsRecipientAndText()
    {
        var message = NotificationMessage.Build(Alert() with { State = AlertState.Resolved, ResolvedAt = FiredAt.AddMinutes(12) }, "resolved", FiredAt.AddMinutes(12), "https://ioc.haiduong.gov.vn", new TestSiteNames(), Language.Vi, Vietnam);

        var json = message.ToZaloMessage("2468458835296117922").ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

        Assert.Equal(
            """{"recipient":{"user_id":"2468458835296117922"},"message":{"text":"✅ Nghiêm trọng · Đã xử lý #42\nMất kết nối TH-SW-01 quá 5 phút\nQuy tắc: Thiết bị mất kết nối\nThiết bị: TH-SW-01 (bộ chuyển mạch)\nĐịa điểm: Thanh Hà · An Sơn\nGiá trị: 312,5\nXử lý lúc: 24/11/2026 15:17\nXem cảnh báo: https://ioc.haiduong.gov.vn/alerts/42"}}""",
            json);
    }

    [Fact]
    public void ToTelegramHtml_EscapesMarkupInNamesButNotVietnameseLetters()
    {
        var alert = Alert() with { Texts = new AlertTexts(new LocalizedText("Tủ <A1> & <B2> nóng", "Rack <A1> & <B2> hot"), new LocalizedText("Nhiệt độ \"tủ\"", "Rack temperature")) };

        var html = NotificationMessage.Build(alert, "fired", FiredAt, "https://ioc.haiduong.gov.vn/?a=1&b=2", new TestSiteNames(), Language.Vi, Vietnam).ToTelegramHtml();

        Assert.Contains("\nTủ &lt;A1&gt; &amp; &lt;B2&gt; nóng\n", html);
        Assert.Contains("<b>Quy tắc:</b> Nhiệt độ &quot;tủ&quot;\n", html);
        Assert.EndsWith("<a href=\"https://ioc.haiduong.gov.vn/?a=1&amp;b=2/alerts/42\">Xem cảnh báo</a>", html);
    }

    [Fact]
    public void GenericBody_KeepsTheTemplatedTextAndTheAlert()
    {
        var options = new AlertingOptions();
        options.Notifications.DashboardUrl = "https://ioc.haiduong.gov.vn";
        var hook = new WebhookOptions { Name = "soc", Url = "http://127.0.0.1/soc", TextTemplate = "[{severityText}] {eventText}: {summary} ({place}) {link}" };
        var sender = new WebhookSender(new NoHttpClients(), options, TimeProvider.System, new TestSiteNames());
        var notification = new NotificationRecord(7, 42, "fired", "webhook", "soc", NotificationStatus.Pending, 0, FiredAt, FiredAt, null);

        using var json = JsonDocument.Parse(sender.Body(hook, null, notification, Alert(), FiredAt));

        Assert.Equal("fired", json.RootElement.GetProperty("event").GetString());
        Assert.Equal(7, json.RootElement.GetProperty("notificationId").GetInt64());
        Assert.Equal("[Nghiêm trọng] Cảnh báo mới: Mất kết nối TH-SW-01 quá 5 phút (Thanh Hà · An Sơn) https://ioc.haiduong.gov.vn/alerts/42", json.RootElement.GetProperty("text").GetString());
        Assert.Equal(42, json.RootElement.GetProperty("alert").GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task ZaloWebhook_Fired_PostsOneTextPerUserWithTheAccessTokenHeader()
    {
        _webhook.ResponseBody = """{"error":0,"message":"Success","data":{"message_id":"a1b2"}}""";
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(HotRule), new()
        {
            ["Ioc:Alerting:Notifications:DashboardUrl"] = "https://ioc.haiduong.gov.vn",
            ["Ioc:Alerting:Notifications:Webhooks:0:Name"] = "zalo-oa",
            ["Ioc:Alerting:Notifications:Webhooks:0:Url"] = _webhook.Url("v3.0/oa/message/cs"),
            ["Ioc:Alerting:Notifications:Webhooks:0:Template"] = "zalo",
            ["Ioc:Alerting:Notifications:Webhooks:0:AccessToken"] = "test-oa-token",
            ["Ioc:Alerting:Notifications:Webhooks:0:UserIds:0"] = "111",
            ["Ioc:Alerting:Notifications:Webhooks:0:UserIds:1"] = "222",
        });
        await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 41.5}""");
        var alert = Assert.Single(await h.OpenAsync());
        h.Time.Advance(TimeSpan.FromSeconds(10));
        await h.Dispatcher.RunDueAsync(CancellationToken.None);

        var requests = _webhook.Received.ToList();
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal(("/v3.0/oa/message/cs", "test-oa-token"), (r.Path, r.Headers["access_token"])));
        var bodies = requests.Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        Assert.Equal(["111", "222"], bodies.Select(b => b.GetProperty("recipient").GetProperty("user_id").GetString()).Order().ToList());
        var text = bodies[0].GetProperty("message").GetProperty("text").GetString()!;
        Assert.StartsWith($"🔴 Khẩn cấp · Cảnh báo mới #{alert.Id}\nNhiệt độ phòng máy DC-ENV-01 = 41,5 °C\n", text);
        Assert.EndsWith($"Xem cảnh báo: https://ioc.haiduong.gov.vn/alerts/{alert.Id}", text);
        var notes = (await h.Service.GetAsync(alert.Id, CancellationToken.None))!.Notifications;
        Assert.Equal(["zalo-oa:111", "zalo-oa:222"], notes.Select(n => n.Notification.Target).Order().ToList());
        Assert.All(notes, n => Assert.Equal("HTTP 200, Zalo message a1b2", Assert.Single(n.Attempts).Detail));
    }

    [Fact]
    public async Task ZaloWebhook_ErrorInAnHttp200Answer_IsAFailedAttempt()
    {
        _webhook.ResponseBody = """{"error":-216,"message":"Access token is invalid"}""";
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(HotRule), new()
        {
            ["Ioc:Alerting:Notifications:Webhooks:0:Name"] = "zalo-oa",
            ["Ioc:Alerting:Notifications:Webhooks:0:Url"] = _webhook.Url("v3.0/oa/message/cs"),
            ["Ioc:Alerting:Notifications:Webhooks:0:Template"] = "zalo",
            ["Ioc:Alerting:Notifications:Webhooks:0:AccessToken"] = "expired",
            ["Ioc:Alerting:Notifications:Webhooks:0:UserIds:0"] = "111",
        });
        await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 41.5}""");
        var alert = Assert.Single(await h.OpenAsync());
        h.Time.Advance(TimeSpan.FromSeconds(10));
        await h.Dispatcher.RunDueAsync(CancellationToken.None);

        var note = Assert.Single((await h.Service.GetAsync(alert.Id, CancellationToken.None))!.Notifications);
        Assert.Equal(NotificationStatus.Pending, note.Notification.Status);
        Assert.Equal("Zalo error -216: Access token is invalid", Assert.Single(note.Attempts).Detail);
    }

    [Fact]
    public async Task TeamsWebhook_Fired_PostsAnAdaptiveCardMessage()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(HotRule), new()
        {
            ["Ioc:Dashboard:PublicUrl"] = "https://ioc.haiduong.gov.vn",
            ["Ioc:Alerting:Notifications:Webhooks:0:Name"] = "teams-soc",
            ["Ioc:Alerting:Notifications:Webhooks:0:Url"] = _webhook.Url("workflows/soc"),
            ["Ioc:Alerting:Notifications:Webhooks:0:Template"] = "teams",
        });
        await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 41.5}""");
        var alert = Assert.Single(await h.OpenAsync());
        h.Time.Advance(TimeSpan.FromSeconds(10));
        await h.Dispatcher.RunDueAsync(CancellationToken.None);

        using var json = JsonDocument.Parse(Assert.Single(_webhook.Received).Body);
        Assert.Equal("message", json.RootElement.GetProperty("type").GetString());
        var attachment = json.RootElement.GetProperty("attachments")[0];
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.GetProperty("contentType").GetString());
        var card = attachment.GetProperty("content");
        Assert.Equal("AdaptiveCard", card.GetProperty("type").GetString());
        Assert.Equal($"🔴 Khẩn cấp · Cảnh báo mới #{alert.Id}", card.GetProperty("body")[0].GetProperty("text").GetString());
        Assert.Equal($"https://ioc.haiduong.gov.vn/alerts/{alert.Id}", card.GetProperty("actions")[0].GetProperty("url").GetString());
    }

    private const string HotRule = """{"id":"dc-overheat","name":"Phòng máy quá nhiệt","kind":"threshold","severity":"critical","metric":"temp_c","op":">","value":35,"clear":32,"summary":"Nhiệt độ phòng máy {device} = {value} °C"}""";

    private static Alert Alert() => new()
    {
        Id = 42,
        RuleId = "device-offline",
        RuleName = "Thiết bị mất kết nối",
        Kind = "offline",
        SubjectKey = "device:thanh-ha-an-son/switch/TH-SW-01",
        Subject = "thanh-ha-an-son/switch/TH-SW-01",
        Severity = AlertSeverity.Major,
        State = AlertState.Firing,
        Site = "thanh-ha-an-son",
        District = "thanh-ha",
        DeviceType = DeviceTypes.Switch,
        DeviceId = "TH-SW-01",
        Summary = "Mất kết nối TH-SW-01 quá 5 phút",
        Texts = new AlertTexts(new LocalizedText("Mất kết nối TH-SW-01 quá 5 phút", "TH-SW-01 offline for more than 5 min"), new LocalizedText("Thiết bị mất kết nối", "Device offline")),
        Value = 312.5,
        FiredAt = FiredAt,
        LastFiredAt = FiredAt,
        EscalationLevel = 1,
        EscalatedAt = FiredAt.AddMinutes(30),
    };

    private sealed class NoHttpClients : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => throw new InvalidOperationException("the body needs no HTTP");
    }
}
