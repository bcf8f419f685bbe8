using Ioc.Contract.Alerts;
using Ioc.Alerting.Service;
using Ioc.Alerting.Tests.Shared;

namespace Ioc.Alerting.Tests.Service;

public sealed class SilenceAndEscalationTests
{
    private const string HotRule = """{"id":"hot","kind":"threshold","severity":"critical","metric":"temp_c","op":">","value":35,"clear":32}""";

    private static readonly Dictionary<string, string?> Routing = new()
    {
        ["Ioc:Alerting:Notifications:Webhooks:0:Name"] = "soc",
        ["Ioc:Alerting:Notifications:Webhooks:0:Url"] = "http://127.0.0.1:9/soc",
        ["Ioc:Alerting:Notifications:Webhooks:1:Name"] = "oncall",
        ["Ioc:Alerting:Notifications:Webhooks:1:Url"] = "http://127.0.0.1:9/oncall",
        ["Ioc:Alerting:Notifications:Webhooks:1:MinSeverity"] = "Critical",
        ["Ioc:Alerting:Escalation:Levels:0:Name"] = "duty engineer",
        ["Ioc:Alerting:Escalation:Levels:0:After"] = "00:15:00",
        ["Ioc:Alerting:Escalation:Levels:0:Webhooks:0"] = "oncall",
        ["Ioc:Alerting:Escalation:Levels:1:Name"] = "head of the data centre",
        ["Ioc:Alerting:Escalation:Levels:1:After"] = "00:45:00",
        ["Ioc:Alerting:Escalation:Levels:1:Webhooks:0"] = "oncall",
    };

    [Fact]
    public async Task Silence_BySite_NewAlertsAreStoredMarkedSilencedAndNotNotified()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(HotRule), Routing);
        var silence = await h.Service.CreateSilenceAsync(
            new SilenceRequest { Site = "dc-tinh", StartsAt = h.Now, EndsAt = h.Now.AddHours(2), Reason = "CRAC replacement" }, "lan", CancellationToken.None);

        await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 40}""");
        await h.TelemetryAsync(TestDevices.ThSwitch, """{"temp_c": 40}""");

        var open = await h.OpenAsync();
        Assert.Equal(2, open.Count);
        var silenced = open.Single(a => a.Site == "dc-tinh");
        Assert.True(silenced.Silenced);
        Assert.False(open.Single(a => a.Site == "thanh-ha").Silenced);
        var notes = await h.Outbox.ForAlertAsync(silenced.Id, CancellationToken.None);
        Assert.NotEmpty(notes);
        Assert.All(notes, n => Assert.Equal(NotificationStatus.Suppressed, n.Status));
        Assert.All(notes, n => Assert.Equal("silenced", n.LastError));
        Assert.Contains($"silenced by #{silence.Id}", (await h.Service.GetAsync(silenced.Id, CancellationToken.None))!.Audit[0].Detail);
    }

    [Fact]
    public async Task Silence_CreatedAndEnded_MarksAndUnmarksOpenAlertsAtOnce()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(HotRule));
        await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 40}""");
        var id = Assert.Single(await h.OpenAsync()).Id;

        var silence = await h.Service.CreateSilenceAsync(
            new SilenceRequest { RuleId = "hot", DeviceId = "DC-ENV-01", StartsAt = h.Now, EndsAt = h.Now.AddHours(1), Reason = "sensor being recalibrated" }, "lan", CancellationToken.None);
        Assert.True((await h.Store.GetAsync(id, CancellationToken.None))!.Silenced);
        Assert.Single(await h.Service.ListSilencesAsync(false, CancellationToken.None));

        h.Time.Advance(TimeSpan.FromMinutes(5));
        var ended = await h.Service.EndSilenceAsync(silence.Id, "minh", CancellationToken.None);

        Assert.Equal("minh", ended.EndedBy);
        Assert.Equal(h.Now, ended.EndedAt);
        Assert.False((await h.Store.GetAsync(id, CancellationToken.None))!.Silenced);
        Assert.Empty(await h.Service.ListSilencesAsync(false, CancellationToken.None));
        var audit = (await h.Service.GetAsync(id, CancellationToken.None))!.Audit.Select(a => (a.Actor, a.Action)).ToList();
        Assert.Equal([("engine", "fired"), ("lan", "silenced"), ("engine", "unsilenced")], audit);
        Assert.Contains(h.Changes, c => c.Kind == AlertChangeKind.Silenced);
        Assert.Contains(h.Changes, c => c.Kind == AlertChangeKind.Unsilenced);
    }

    [Fact]
    public async Task MaintenanceWindow_Scheduled_SilencesWhenItStartsAndReleasesWhenItEnds()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(HotRule));
        await h.Service.CreateSilenceAsync(
            new SilenceRequest { Kind = SilenceKind.Maintenance, DeviceType = "env-sensor", StartsAt = h.Now.AddMinutes(30), EndsAt = h.Now.AddMinutes(90), Reason = "planned power work" }, "lan", CancellationToken.None);
        await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 40}""");
        var id = Assert.Single(await h.OpenAsync()).Id;
        Assert.False((await h.Store.GetAsync(id, CancellationToken.None))!.Silenced);

        await h.AdvanceAsync(TimeSpan.FromMinutes(31), TimeSpan.FromMinutes(1));
        Assert.True((await h.Store.GetAsync(id, CancellationToken.None))!.Silenced);

        await h.AdvanceAsync(TimeSpan.FromMinutes(60), TimeSpan.FromMinutes(1));
        Assert.False((await h.Store.GetAsync(id, CancellationToken.None))!.Silenced);
    }

    [Theory]
    [InlineData(null, "x", "a silence must name at least one of rule, site, district, device type or device")]
    [InlineData("dc-tinh", "", "a silence needs a reason")]
    public async Task Silence_InvalidRequest_IsRefused(string? site, string? reason, string expected)
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(HotRule));

        var error = await Assert.ThrowsAsync<AlertCommandException>(() => h.Service.CreateSilenceAsync(
            new SilenceRequest { Site = site, StartsAt = h.Now, EndsAt = h.Now.AddHours(1), Reason = reason! }, "lan", CancellationToken.None));

        Assert.Equal(expected, error.Message);
    }

    public static TheoryData<string, Func<DateTimeOffset, SilenceRequest>, string> BadRequests => new()
    {
        { "end before start", now => new SilenceRequest { Site = "dc-tinh", StartsAt = now.AddHours(2), EndsAt = now.AddHours(1), Reason = "x" }, "a silence must end after it starts" },
        { "zero length", now => new SilenceRequest { Site = "dc-tinh", StartsAt = now, EndsAt = now, Reason = "x" }, "a silence must end after it starts" },
        { "end in the past", now => new SilenceRequest { Site = "dc-tinh", StartsAt = now.AddDays(-2), EndsAt = now.AddDays(-1), Reason = "x" }, "a silence must end in the future" },
        { "over 30 days", now => new SilenceRequest { Site = "dc-tinh", StartsAt = now, EndsAt = now.AddDays(30).AddMinutes(1), Reason = "x" }, "a silence may last at most 30 days" },
        { "rule typo", now => new SilenceRequest { RuleId = "hto", StartsAt = now, EndsAt = now.AddHours(1), Reason = "x" }, "there is no rule 'hto'" },
        { "site typo", now => new SilenceRequest { Site = "dc-tihn", StartsAt = now, EndsAt = now.AddHours(1), Reason = "x" }, "there is no site 'dc-tihn'" },
        { "unknown device", now => new SilenceRequest { DeviceId = "DC-ENV-99", StartsAt = now, EndsAt = now.AddHours(1), Reason = "x" }, "there is no device 'DC-ENV-99'" },
        { "weekly without days", now => new SilenceRequest { Site = "dc-tinh", StartsAt = now, EndsAt = now.AddDays(60), Reason = "x", Recurrence = new SilenceRecurrence { Frequency = SilenceFrequency.Weekly, LocalStart = new TimeOnly(22, 0), Duration = TimeSpan.FromHours(1), TimeZone = "Asia/Ho_Chi_Minh" } }, "a weekly window must open on at least one day" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task CreateSilence_BadRequest_IsRefusedAndNothingIsStored(string what, Func<DateTimeOffset, SilenceRequest> request, string expected)
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(HotRule));

        var error = await Assert.ThrowsAsync<AlertCommandException>(() => h.Service.CreateSilenceAsync(request(h.Now), "lan", CancellationToken.None));

        Assert.True(error.IsInvalidInput, what);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Empty(await h.Service.ListSilencesAsync(includeExpired: true, CancellationToken.None));
    }

    [Fact]
    public async Task CreateSilence_MaximumFromConfiguration_IsHonoured()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(HotRule), new() { ["Ioc:Alerting:Silences:MaxDuration"] = "2.00:00:00" });

        var error = await Assert.ThrowsAsync<AlertCommandException>(() => h.Service.CreateSilenceAsync(
            new SilenceRequest { Site = "dc-tinh", StartsAt = h.Now, EndsAt = h.Now.AddDays(3), Reason = "x" }, "lan", CancellationToken.None));

        Assert.Equal("a silence may last at most 2 days", error.Message);
    }

    [Fact]
    public async Task RecurringWindow_DailyInHoChiMinhTime_SilencesOnlyInsideEachWindowAcrossDays()
    {
        // Arrange: the clock starts Tue 24/11/2026 08:00 UTC = 15:00 local. A daily window 16:00–17:00 local (09:00–10:00 UTC).
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(HotRule));
        var created = await h.Service.CreateSilenceAsync(new SilenceRequest
        {
            Kind = SilenceKind.Maintenance,
            Site = "dc-tinh",
            StartsAt = h.Now,
            EndsAt = h.Now.AddDays(3),
            Reason = "sao lưu hằng ngày",
            Recurrence = new SilenceRecurrence { Frequency = SilenceFrequency.Daily, LocalStart = new TimeOnly(16, 0), Duration = TimeSpan.FromHours(1), TimeZone = "Asia/Ho_Chi_Minh" },
        }, "lan", CancellationToken.None);
        Assert.Equal(SilenceStatus.Scheduled, created.StatusAt(h.Now));
        await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 40}""");
        var id = Assert.Single(await h.OpenAsync()).Id;
        async Task<bool> SilencedAsync() => (await h.Store.GetAsync(id, CancellationToken.None))!.Silenced;

        // Act / Assert: closed at 15:59 local, open from 16:00, closed again at 17:00, open again the next day at 16:00.
        Assert.False(await SilencedAsync());
        await h.AdvanceAsync(TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(1));
        Assert.False(await SilencedAsync());
        await h.AdvanceAsync(TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(1));
        Assert.True(await SilencedAsync());
        await h.AdvanceAsync(TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(1));
        Assert.False(await SilencedAsync());
        await h.AdvanceAsync(TimeSpan.FromHours(23), TimeSpan.FromMinutes(10));
        Assert.True(await SilencedAsync());
        var audit = (await h.Service.GetAsync(id, CancellationToken.None))!.Audit.Select(a => a.Action).ToList();
        Assert.Equal(["fired", "silenced", "unsilenced", "silenced"], audit);
    }

    [Fact]
    public async Task Escalation_UnacknowledgedCritical_EscalatesLevelByLevelAndNotifiesEachLevel()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(HotRule), Routing);
        await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 40}""");
        var id = Assert.Single(await h.OpenAsync()).Id;

        await h.AdvanceAsync(TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(1));
        Assert.Equal(0, (await h.Store.GetAsync(id, CancellationToken.None))!.EscalationLevel);

        await h.AdvanceAsync(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        var first = (await h.Store.GetAsync(id, CancellationToken.None))!;
        Assert.Equal(1, first.EscalationLevel);
        Assert.Equal(AlertingHarness.Start + TimeSpan.FromMinutes(15), first.EscalatedAt);

        await h.AdvanceAsync(TimeSpan.FromMinutes(60), TimeSpan.FromMinutes(1));
        var details = (await h.Service.GetAsync(id, CancellationToken.None))!;
        Assert.Equal(2, details.Alert.EscalationLevel);
        var escalations = details.Audit.Where(a => a.Action == "escalated").ToList();
        Assert.Equal(2, escalations.Count);
        Assert.Equal("to duty engineer: not acknowledged after 15m", escalations[0].Detail);
        Assert.Equal("to head of the data centre: not acknowledged after 45m", escalations[1].Detail);
        var escalated = details.Notifications.Where(n => n.Notification.Event == "escalated").ToList();
        Assert.Equal(2, escalated.Count);
        Assert.All(escalated, n => Assert.Equal("oncall", n.Notification.Target));
    }

    [Fact]
    public async Task Escalation_AcknowledgedOrSilencedOrNotCritical_DoesNotEscalate()
    {
        var rules = AlertingHarness.Rules(HotRule, """{"id":"warm","kind":"threshold","severity":"major","metric":"temp_c","op":">","value":30}""");
        await using var h = await AlertingHarness.CreateAsync(rules, Routing);
        await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 40}""");
        await h.TelemetryAsync(TestDevices.ThSwitch, """{"temp_c": 40}""");
        var open = await h.OpenAsync();
        await h.Service.AcknowledgeAsync(open.Single(a => a.RuleId == "hot" && a.Site == "dc-tinh").Id, "lan", null, CancellationToken.None);
        await h.Service.CreateSilenceAsync(new SilenceRequest { Site = "thanh-ha", RuleId = "hot", StartsAt = h.Now, EndsAt = h.Now.AddDays(1), Reason = "known" }, "lan", CancellationToken.None);

        await h.AdvanceAsync(TimeSpan.FromHours(2), TimeSpan.FromMinutes(5));

        Assert.All(await h.OpenAsync(), a => Assert.Equal(0, a.EscalationLevel));
    }

    [Fact]
    public async Task Silence_EndsWhileTheAlertStillFires_NotifiesItThen()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(HotRule), Routing);
        var silence = await h.Service.CreateSilenceAsync(
            new SilenceRequest { Site = "dc-tinh", StartsAt = h.Now, EndsAt = h.Now.AddHours(2), Reason = "CRAC replacement" }, "lan", CancellationToken.None);
        await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 40}""");
        var id = Assert.Single(await h.OpenAsync()).Id;

        h.Time.Advance(TimeSpan.FromMinutes(30));
        await h.Service.EndSilenceAsync(silence.Id, "lan", CancellationToken.None);

        var notes = await h.Outbox.ForAlertAsync(id, CancellationToken.None);
        Assert.Equal(2, notes.Count(n => n.Status == NotificationStatus.Suppressed));
        var late = notes.Where(n => n.Status == NotificationStatus.Pending).ToList();
        Assert.Equal(["oncall", "soc"], late.Select(n => n.Target).Order().ToList());
        Assert.All(late, n => Assert.Equal("fired", n.Event));
        Assert.All(late, n => Assert.Equal(h.Now, n.NextAttemptAt));
    }

    [Fact]
    public async Task Retention_ResolvedAlertsOlderThanTheLimit_ArePurgedWithTheirRecords()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(HotRule), new() { ["Ioc:Alerting:RetentionDays"] = "30" });
        await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 40}""");
        var old = Assert.Single(await h.OpenAsync()).Id;
        await h.Service.CommentAsync(old, "lan", "fan replaced", CancellationToken.None);
        await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 20}""");
        h.Time.Advance(TimeSpan.FromDays(29));
        await h.TelemetryAsync(TestDevices.ThSwitch, """{"temp_c": 40}""");
        await h.TelemetryAsync(TestDevices.ThSwitch, """{"temp_c": 20}""");

        h.Time.Advance(TimeSpan.FromDays(2));
        await h.TickAsync();

        var left = Assert.Single(await h.AllAsync());
        Assert.Equal("thanh-ha", left.Site);
        Assert.Null(await h.Service.GetAsync(old, CancellationToken.None));
        Assert.Empty(await h.Store.AuditAsync(old, CancellationToken.None));
        Assert.Empty(await h.Store.CommentsAsync(old, CancellationToken.None));
    }
}
