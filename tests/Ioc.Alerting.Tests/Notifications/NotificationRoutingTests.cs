using System.Text.Json;
using Ioc.Alerting.Hosting;
using Ioc.Alerting.Notifications;
using Ioc.Alerting.Tests.Shared;
using Ioc.Contract;
using Ioc.Contract.Alerts;
using Ioc.Storage.Operational;
using Microsoft.Extensions.DependencyInjection;

namespace Ioc.Alerting.Tests.Notifications;

/// <summary>Which channel hears of which alert (severity, rule, site, the registry's district) and when (quiet hours, with a fake clock).</summary>
public sealed class NotificationRoutingTests : IDisposable
{
    private const string HotRule = """{"id":"room-hot","name":"Phòng máy nóng","kind":"threshold","severity":"major","metric":"temp_c","op":">","value":35,"clear":32}""";
    private const string FireRule = """{"id":"room-fire","name":"Phòng máy cháy","kind":"threshold","severity":"critical","metric":"temp_c","op":">","value":45,"clear":40}""";
    private const string UpsRule = """{"id":"ups-low","name":"UPS sắp cạn","kind":"threshold","severity":"major","metric":"battery_pct","op":"<","value":20,"clear":30}""";

    /// <summary>A commune whose slug does not start with its district's: only the registry knows it is in Thanh Hà.</summary>
    private static readonly DeviceAddress AnSonSensor = new("an-son", DeviceTypes.EnvironmentSensor, "AS-ENV-01");

    private readonly TestWebhookServer _webhook = new();

    public void Dispose() => _webhook.Dispose();

    [Fact]
    public async Task Fired_RoutesPerChannelBySeveritySiteRegistryDistrictAndRule()
    {
        var settings = new Dictionary<string, string?>();
        AddHook(settings, 0, "all", ("MinSeverity", "info"));
        AddHook(settings, 1, "critical-only", ("MinSeverity", "critical"));
        AddHook(settings, 2, "thanh-ha", ("Districts:0", "thanh-ha"));
        AddHook(settings, 3, "tu-ky", ("Districts:0", "tu-ky"));
        AddHook(settings, 4, "an-son", ("Sites:0", "an-son"));
        AddHook(settings, 5, "ups-only", ("Rules:0", "ups-low"));
        AddHook(settings, 6, "thanh-ha-rooms", ("Districts:0", "thanh-ha"), ("Districts:1", "tu-ky"), ("Rules:0", "room-hot"), ("Rules:1", "room-fire"));
        settings["Ioc:Alerting:Notifications:Telegram:0:Name"] = "noc";
        settings["Ioc:Alerting:Notifications:Telegram:0:BotToken"] = "123456:TEST-token-not-a-secret";
        settings["Ioc:Alerting:Notifications:Telegram:0:ChatIds:0"] = "-1001";
        settings["Ioc:Alerting:Notifications:Telegram:0:ChatIds:1"] = "@ioc_haiduong";
        settings["Ioc:Alerting:Notifications:Telegram:0:Districts:0"] = "thanh-ha";
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(HotRule, UpsRule), settings);
        await RegisterSitesAsync(h);

        await h.TelemetryAsync(AnSonSensor, """{"temp_c": 41.5}""");

        var alert = Assert.Single(await h.OpenAsync());
        var targets = (await h.Outbox.ForAlertAsync(alert.Id, CancellationToken.None)).Select(n => $"{n.Channel}/{n.Target}").Order().ToList();
        Assert.Equal(["telegram/noc:-1001", "telegram/noc:@ioc_haiduong", "webhook/all", "webhook/an-son", "webhook/thanh-ha", "webhook/thanh-ha-rooms"], targets);
    }

    [Fact]
    public async Task QuietHoursAcrossMidnight_HoldNonCriticalUntilTheWindowEnds_CriticalGoesThrough()
    {
        var settings = new Dictionary<string, string?>();
        AddHook(settings, 0, "soc", ("MinSeverity", "info"), ("QuietHours:From", "22:00"), ("QuietHours:To", "06:00"));
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(HotRule, FireRule), settings);
        // 16:30 UTC is 23:30 in Hải Dương.
        h.Time.Advance(TimeSpan.FromHours(8.5));

        await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 50}""");
        var open = await h.OpenAsync();
        var major = open.Single(a => a.RuleId == "room-hot");
        var critical = open.Single(a => a.RuleId == "room-fire");
        var held = Assert.Single(await h.Outbox.ForAlertAsync(major.Id, CancellationToken.None));
        Assert.Equal((NotificationStatus.Pending, NotificationPlanner.HeldForQuietHours), (held.Status, held.LastError));
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 6, 0, 0, TimeSpan.FromHours(7)), held.NextAttemptAt);

        h.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, await h.Dispatcher.RunDueAsync(CancellationToken.None));
        Assert.Equal(critical.Id, AlertIdOf(Assert.Single(_webhook.Received)));

        // 05:59:59 the next morning: still held; 06:00: sent.
        h.Time.SetUtcNow(new DateTimeOffset(2026, 11, 24, 22, 59, 59, TimeSpan.Zero));
        Assert.Equal(0, await h.Dispatcher.RunDueAsync(CancellationToken.None));
        h.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await h.Dispatcher.RunDueAsync(CancellationToken.None));
        Assert.Equal([critical.Id, major.Id], _webhook.Received.Select(AlertIdOf).ToList());
        var sent = Assert.Single((await h.Service.GetAsync(major.Id, CancellationToken.None))!.Notifications);
        Assert.Equal(NotificationStatus.Delivered, sent.Notification.Status);
    }

    [Fact]
    public async Task QuietHours_AlertResolvedDuringTheWindow_IsNeverSentAndSaysWhy()
    {
        var settings = new Dictionary<string, string?>();
        AddHook(settings, 0, "soc", ("MinSeverity", "info"), ("QuietHours:From", "22:00"), ("QuietHours:To", "06:00"));
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(HotRule), settings);
        h.Time.Advance(TimeSpan.FromHours(8.5));
        await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 41}""");
        var alert = Assert.Single(await h.OpenAsync());
        h.Time.Advance(TimeSpan.FromHours(2));
        await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 25}""");

        h.Time.SetUtcNow(new DateTimeOffset(2026, 11, 24, 23, 0, 0, TimeSpan.Zero));
        await h.Dispatcher.RunDueAsync(CancellationToken.None);

        Assert.Empty(_webhook.Received);
        var notes = await h.Outbox.ForAlertAsync(alert.Id, CancellationToken.None);
        Assert.Equal(
            [("fired", NotificationStatus.Suppressed, "resolved during quiet hours"), ("resolved", NotificationStatus.Suppressed, "the firing was never notified")],
            notes.Select(n => (n.Event, n.Status, n.LastError)).ToList());
    }

    [Theory]
    [InlineData("22:00", "06:00", "2026-11-24 23:30", "2026-11-25 06:00")]
    [InlineData("22:00", "06:00", "2026-11-25 00:10", "2026-11-25 06:00")]
    [InlineData("22:00", "06:00", "2026-11-25 05:59", "2026-11-25 06:00")]
    [InlineData("22:00", "06:00", "2026-11-25 06:00", null)]
    [InlineData("22:00", "06:00", "2026-11-24 21:59", null)]
    [InlineData("12:00", "13:30", "2026-11-24 12:00", "2026-11-24 13:30")]
    [InlineData("12:00", "13:30", "2026-11-24 13:30", null)]
    public void QuietUntil_LocalWindow_EndsWhereExpected(string from, string to, string localAt, string? localEnd)
    {
        var zone = Ioc.Alerting.Notifications.NotificationTemplate.FindZone("Asia/Ho_Chi_Minh");
        var route = new WebhookOptions { QuietHours = new QuietHoursOptions { From = from, To = to } };
        var at = new DateTimeOffset(DateTime.ParseExact(localAt, "yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromHours(7));

        var end = NotificationRoutes.QuietUntil(route, at, zone);

        Assert.Equal(localEnd is null ? null : new DateTimeOffset(DateTime.ParseExact(localEnd, "yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromHours(7)), end);
    }

    [Fact]
    public void Validate_BadChannels_NameEveryKey()
    {
        var options = new AlertingOptions();
        options.Notifications.DashboardUrl = "ioc.haiduong.gov.vn";
        options.Notifications.Telegram.Add(new TelegramOptions { Name = "noc", ChatIds = ["nhom truc"], QuietHours = new QuietHoursOptions { From = "25:00" } });
        options.Notifications.Webhooks.Add(new WebhookOptions { Name = "zalo", Url = "https://openapi.zalo.me/v3.0/oa/message/cs", Template = WebhookTemplate.Zalo });
        options.Escalation.Levels.Add(new EscalationLevel { Name = "l1", After = TimeSpan.FromMinutes(5), Telegram = ["khong-co"] });

        var errors = options.Validate().ToList();

        Assert.Contains(errors, e => e.StartsWith("Ioc:Alerting:Notifications:DashboardUrl (or Ioc:Dashboard:PublicUrl) must be", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Ioc:Alerting:Notifications:Telegram:0:BotToken must be", StringComparison.Ordinal));
        Assert.Contains("Ioc:Alerting:Notifications:Telegram:0:ChatIds entry 'nhom truc' is neither a number nor an @channelname.", errors);
        Assert.Contains(errors, e => e.StartsWith("Ioc:Alerting:Notifications:Telegram:0:QuietHours: From and To must be local times HH:mm", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Ioc:Alerting:Notifications:Webhooks:0:AccessToken must be set for the zalo template", StringComparison.Ordinal));
        Assert.Contains("Ioc:Alerting:Notifications:Webhooks:0:UserIds must list the Zalo user ids (followers of the Official Account) to message.", errors);
        Assert.Contains("Ioc:Alerting:Escalation:Levels:0:Telegram names 'khong-co', which is not in Ioc:Alerting:Notifications:Telegram.", errors);
        Assert.Equal(7, errors.Count);
    }

    private void AddHook(Dictionary<string, string?> settings, int index, string name, params (string Key, string Value)[] route)
    {
        var prefix = $"Ioc:Alerting:Notifications:Webhooks:{index}";
        settings[$"{prefix}:Name"] = name;
        settings[$"{prefix}:Url"] = _webhook.Url(name);
        foreach (var (key, value) in route)
        {
            settings[$"{prefix}:{key}"] = value;
        }
    }

    private static async Task RegisterSitesAsync(AlertingHarness h)
    {
        await h.Services.GetRequiredService<ISiteStore>().UpsertAsync(
            [
                new SiteRecord("thanh-ha", "Thanh Hà", "Thanh Ha", "thanh-ha", SiteKinds.District),
                new SiteRecord("an-son", "An Sơn", "An Son", "thanh-ha", SiteKinds.Commune),
            ],
            h.Now,
            CancellationToken.None);
        h.Time.Advance(TimeSpan.FromMinutes(2));
    }

    private static long AlertIdOf(TestWebhookServer.ReceivedRequest request)
    {
        using var json = JsonDocument.Parse(request.Body);
        return json.RootElement.GetProperty("alert").GetProperty("id").GetInt64();
    }
}
