using System.Text.Json;
using Ioc.Contract.Alerts;
using Ioc.Alerting.Tests.Shared;

namespace Ioc.Alerting.Tests.Notifications;

/// <summary>Notifications over real sockets: a webhook endpoint (HttpListener) and an SMTP server (TcpListener) on 127.0.0.1.</summary>
public sealed class NotificationTests : IDisposable
{
    private const string HotRule = """{"id":"dc-overheat","name":"Equipment room overheating","kind":"threshold","severity":"critical","metric":"temp_c","op":">","value":35,"clear":32,"summary":"Nhiệt độ phòng máy {device} = {value} °C"}""";
    private readonly TestWebhookServer _webhook = new();
    private readonly TestSmtpServer _smtp = new();

    public void Dispose()
    {
        _webhook.Dispose();
        _smtp.Dispose();
    }

    [Fact]
    public async Task Webhook_FailsTwiceThenSucceeds_RetriesWithBackoffAndRecordsEveryAttempt()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(HotRule), WebhookSettings());
        _webhook.Answer(500, 503);
        await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 41.5}""");
        var alert = Assert.Single(await h.OpenAsync());

        Assert.Equal(0, await h.Dispatcher.RunDueAsync(CancellationToken.None));
        h.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, await h.Dispatcher.RunDueAsync(CancellationToken.None));
        h.Time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(0, await h.Dispatcher.RunDueAsync(CancellationToken.None));
        h.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await h.Dispatcher.RunDueAsync(CancellationToken.None));
        h.Time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(0, await h.Dispatcher.RunDueAsync(CancellationToken.None));
        h.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await h.Dispatcher.RunDueAsync(CancellationToken.None));

        var notification = Assert.Single((await h.Service.GetAsync(alert.Id, CancellationToken.None))!.Notifications);
        Assert.Equal(NotificationStatus.Delivered, notification.Notification.Status);
        Assert.Equal(3, notification.Notification.Attempts);
        Assert.Equal([false, false, true], notification.Attempts.Select(a => a.Success).ToList());
        Assert.StartsWith("HTTP 500", notification.Attempts[0].Detail);
        Assert.StartsWith("HTTP 503", notification.Attempts[1].Detail);
        Assert.Equal("HTTP 200", notification.Attempts[2].Detail);
        Assert.Equal(
            [TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(25)],
            notification.Attempts.Select(a => a.At - AlertingHarness.Start).ToList());

        var requests = _webhook.Received.ToList();
        Assert.Equal(3, requests.Count);
        var last = requests[^1];
        Assert.Equal("POST", last.Method);
        Assert.Equal("/soc", last.Path);
        Assert.Equal("fired", last.Headers["X-Ioc-Event"]);
        Assert.Equal($"ioc-notification-{notification.Notification.Id}", last.Headers["Idempotency-Key"]);
        Assert.Equal("secret-token", last.Headers["X-Token"]);
        using var json = JsonDocument.Parse(last.Body);
        Assert.Equal("fired", json.RootElement.GetProperty("event").GetString());
        Assert.Equal(alert.Id, json.RootElement.GetProperty("alert").GetProperty("id").GetInt64());
        Assert.Equal("critical", json.RootElement.GetProperty("alert").GetProperty("severity").GetString());
        Assert.Equal($"CRITICAL fired: Equipment room overheating on dc-tinh/env-sensor/DC-ENV-01 (#{alert.Id})", json.RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Webhook_NeverAnswersSuccessfully_GivesUpAfterMaxAttempts()
    {
        var settings = WebhookSettings();
        settings["Ioc:Alerting:Notifications:MaxAttempts"] = "3";
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(HotRule), settings);
        _webhook.Answer(500, 500, 500, 500, 500);
        await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 41.5}""");

        for (var i = 0; i < 10; i++)
        {
            h.Time.Advance(TimeSpan.FromSeconds(30));
            await h.Dispatcher.RunDueAsync(CancellationToken.None);
        }

        var alert = Assert.Single(await h.OpenAsync());
        var notification = Assert.Single((await h.Service.GetAsync(alert.Id, CancellationToken.None))!.Notifications);
        Assert.Equal(NotificationStatus.Failed, notification.Notification.Status);
        Assert.Equal(3, notification.Attempts.Count);
        Assert.Equal(3, _webhook.Received.Count);
    }

    [Fact]
    public async Task Webhook_ResolvedBeforeTheGroupWaitEnds_SendsNothing()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(HotRule), WebhookSettings());
        await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 41.5}""");
        h.Time.Advance(TimeSpan.FromSeconds(3));
        await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 25}""");

        h.Time.Advance(TimeSpan.FromSeconds(30));
        await h.Dispatcher.RunDueAsync(CancellationToken.None);

        Assert.Empty(_webhook.Received);
        var alert = Assert.Single(await h.AllAsync());
        var notes = await h.Outbox.ForAlertAsync(alert.Id, CancellationToken.None);
        Assert.Equal([("fired", NotificationStatus.Suppressed), ("resolved", NotificationStatus.Suppressed)], notes.Select(n => (n.Event, n.Status)).ToList());
        Assert.Equal("resolved before the group wait ended", notes[0].LastError);
    }

    [Fact]
    public async Task Webhook_FiredThenResolved_SendsBothInOrder()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(HotRule), WebhookSettings());
        await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 41.5}""");
        h.Time.Advance(TimeSpan.FromSeconds(10));
        await h.Dispatcher.RunDueAsync(CancellationToken.None);
        h.Time.Advance(TimeSpan.FromMinutes(5));
        await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 25}""");
        await h.Dispatcher.RunDueAsync(CancellationToken.None);

        Assert.Equal(["fired", "resolved"], _webhook.Received.Select(r => r.Headers["X-Ioc-Event"]).ToList());
    }

    [Fact]
    public async Task Webhook_DistrictFibreCut_NotifiesTheDistrictAlertOnlyNotEachDevice()
    {
        var rules = AlertingHarness.Rules(
            """{"id":"device-offline","kind":"offline","severity":"major"}""",
            """{"id":"district-down","kind":"composite","severity":"critical","of":"device-offline","ratio":0.6,"minDevices":3}""");
        await using var h = await AlertingHarness.CreateAsync(rules, WebhookSettings());
        for (var i = 0; i < 12; i++)
        {
            await h.SendAsync(TestMessages.Status(TestDevices.ThanhHaAp(i), online: true, h.Now));
        }

        for (var i = 0; i < 12; i++)
        {
            await h.SendAsync(TestMessages.Status(TestDevices.ThanhHaAp(i), online: false, h.Now));
            h.Time.Advance(TimeSpan.FromMilliseconds(200));
        }

        h.Time.Advance(TimeSpan.FromSeconds(15));
        await h.Dispatcher.RunDueAsync(CancellationToken.None);

        var request = Assert.Single(_webhook.Received);
        using var json = JsonDocument.Parse(request.Body);
        Assert.Equal("district-down", json.RootElement.GetProperty("alert").GetProperty("ruleId").GetString());
        var open = await h.OpenAsync();
        Assert.Equal(13, open.Count);
        var parent = open.Single(a => a.RuleId == "district-down");
        foreach (var child in open.Where(a => a.RuleId == "device-offline"))
        {
            Assert.Equal(parent.Id, child.ParentId);
            var note = Assert.Single(await h.Outbox.ForAlertAsync(child.Id, CancellationToken.None));
            Assert.Equal(NotificationStatus.Suppressed, note.Status);
            Assert.Equal($"grouped under alert #{parent.Id}", note.LastError);
        }
    }

    [Fact]
    public async Task Webhook_DistrictRecoversButSomeDevicesDoNot_NotifiesThoseDevicesThen()
    {
        var rules = AlertingHarness.Rules(
            """{"id":"device-offline","kind":"offline","severity":"major"}""",
            """{"id":"district-down","kind":"composite","severity":"critical","of":"device-offline","ratio":0.6,"clearRatio":0.5,"minDevices":3}""");
        await using var h = await AlertingHarness.CreateAsync(rules, WebhookSettings());
        for (var i = 0; i < 10; i++)
        {
            await h.SendAsync(TestMessages.Status(TestDevices.ThanhHaAp(i), online: true, h.Now));
        }

        for (var i = 0; i < 10; i++)
        {
            await h.SendAsync(TestMessages.Status(TestDevices.ThanhHaAp(i), online: false, h.Now));
        }

        h.Time.Advance(TimeSpan.FromSeconds(15));
        await h.Dispatcher.RunDueAsync(CancellationToken.None);
        Assert.Single(_webhook.Received);

        // Seven come back: the district alert resolves, the three still down stand alone and are notified.
        for (var i = 0; i < 7; i++)
        {
            await h.SendAsync(TestMessages.Status(TestDevices.ThanhHaAp(i), online: true, h.Now));
        }

        await h.Dispatcher.RunDueAsync(CancellationToken.None);

        var open = await h.OpenAsync();
        Assert.Equal(3, open.Count);
        Assert.All(open, a => Assert.Null(a.ParentId));
        var events = _webhook.Received.Skip(1).Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        Assert.Contains(events, e => e.GetProperty("event").GetString() == "resolved" && e.GetProperty("alert").GetProperty("ruleId").GetString() == "district-down");
        var devices = events.Where(e => e.GetProperty("event").GetString() == "fired").Select(e => e.GetProperty("alert").GetProperty("deviceId").GetString()).Order().ToList();
        Assert.Equal(open.Select(a => a.DeviceId).Order().ToList(), devices);
    }

    [Fact]
    public async Task Email_Fired_IsDeliveredOverSmtpFromTheTemplates()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(HotRule), EmailSettings());
        await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 41.5}""");
        var alert = Assert.Single(await h.OpenAsync());

        h.Time.Advance(TimeSpan.FromSeconds(10));
        await h.Dispatcher.RunDueAsync(CancellationToken.None);

        var mails = _smtp.Messages.OrderBy(m => m.To[0]).ToList();
        Assert.Equal(2, mails.Count);
        Assert.Equal(["noc@haiduong.gov.vn"], mails[0].To);
        Assert.Equal(["truc-ca@haiduong.gov.vn"], mails[1].To);
        Assert.Equal("ioc@haiduong.gov.vn", mails[0].From);
        Assert.Equal($"[IOC critical] fired: Nhiệt độ phòng máy DC-ENV-01 = 41,5 °C", mails[0].Subject);
        Assert.StartsWith($"Cảnh báo #{alert.Id}: Cảnh báo mới lúc 24/11/2026 15:00", mails[0].Body);
        Assert.Contains("Mức độ:     Khẩn cấp", mails[0].Body);
        Assert.Contains("Địa điểm:   Dc Tinh", mails[0].Body);
        Assert.Contains("Summary:   Nhiệt độ phòng máy DC-ENV-01 = 41.5 °C", mails[0].Body);
        Assert.Contains($"Alert #{alert.Id}: Fired at 2026-11-24 08:00", mails[0].Body);
        Assert.Contains($"https://ioc.haiduong.gov.vn/alerts/{alert.Id}", mails[0].Body);
        var notes = await h.Outbox.ForAlertAsync(alert.Id, CancellationToken.None);
        Assert.All(notes, n => Assert.Equal(NotificationStatus.Delivered, n.Status));
    }

    [Fact]
    public async Task Email_SmtpTemporarilyRefuses_IsRetriedAndEveryAttemptRecorded()
    {
        var settings = EmailSettings();
        settings.Remove("Ioc:Alerting:Notifications:Email:To:1");
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(HotRule), settings);
        _smtp.FailNext(1);
        await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 41.5}""");
        var alert = Assert.Single(await h.OpenAsync());

        h.Time.Advance(TimeSpan.FromSeconds(10));
        await h.Dispatcher.RunDueAsync(CancellationToken.None);
        h.Time.Advance(TimeSpan.FromSeconds(5));
        await h.Dispatcher.RunDueAsync(CancellationToken.None);

        var notification = Assert.Single((await h.Service.GetAsync(alert.Id, CancellationToken.None))!.Notifications);
        Assert.Equal(NotificationStatus.Delivered, notification.Notification.Status);
        Assert.Equal([false, true], notification.Attempts.Select(a => a.Success).ToList());
        Assert.Contains("451", notification.Attempts[0].Detail);
        Assert.Single(_smtp.Messages);
    }

    private Dictionary<string, string?> WebhookSettings() => new()
    {
        ["Ioc:Alerting:Notifications:InitialBackoff"] = "00:00:05",
        ["Ioc:Alerting:Notifications:MaxBackoff"] = "00:01:00",
        ["Ioc:Alerting:Notifications:Webhooks:0:Name"] = "soc",
        ["Ioc:Alerting:Notifications:Webhooks:0:Url"] = _webhook.Url("soc"),
        ["Ioc:Alerting:Notifications:Webhooks:0:Headers:X-Token"] = "secret-token",
        ["Ioc:Alerting:Notifications:Webhooks:0:TextTemplate"] = "CRITICAL {event}: {rule} on {subject} (#{id})",
    };

    private Dictionary<string, string?> EmailSettings() => new()
    {
        ["Ioc:Alerting:Notifications:InitialBackoff"] = "00:00:05",
        ["Ioc:Alerting:Notifications:DashboardUrl"] = "https://ioc.haiduong.gov.vn/",
        ["Ioc:Alerting:Notifications:Email:Host"] = "127.0.0.1",
        ["Ioc:Alerting:Notifications:Email:Port"] = _smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Ioc:Alerting:Notifications:Email:From"] = "ioc@haiduong.gov.vn",
        ["Ioc:Alerting:Notifications:Email:To:0"] = "noc@haiduong.gov.vn",
        ["Ioc:Alerting:Notifications:Email:To:1"] = "truc-ca@haiduong.gov.vn",
        ["Ioc:Alerting:Notifications:Email:SubjectTemplate"] = "[IOC {severity}] {event}: {summary}",
    };
}
