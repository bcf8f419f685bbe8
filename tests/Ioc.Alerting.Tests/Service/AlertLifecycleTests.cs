using Ioc.Alerting.Evaluation;
using Ioc.Alerting.Engine;
using Ioc.Contract.Alerts;
using Ioc.Alerting.Service;
using Ioc.Alerting.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace Ioc.Alerting.Tests.Service;

public sealed class AlertLifecycleTests
{
    private const string UpsRule = """{"id":"ups-on-battery","kind":"state","severity":"major","scope":{"deviceTypes":["ups"]},"metric":"on_battery","equals":true}""";
    private const string HotRule = """{"id":"hot","kind":"threshold","severity":"critical","metric":"temp_c","op":">","value":35,"clear":32}""";

    [Fact]
    public async Task Acknowledge_Assign_Comment_Resolve_RecordWhoAndWhenForEveryStep()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(UpsRule));
        await h.TelemetryAsync(TestDevices.DcUps, """{"on_battery": true}""");
        var id = Assert.Single(await h.OpenAsync()).Id;

        h.Time.Advance(TimeSpan.FromMinutes(4));
        var acked = await h.Service.AcknowledgeAsync(id, "lan.nguyen", "looking at it", CancellationToken.None);
        h.Time.Advance(TimeSpan.FromMinutes(1));
        var assigned = await h.Service.AssignAsync(id, "minh.tran", "lan.nguyen", CancellationToken.None);
        h.Time.Advance(TimeSpan.FromMinutes(1));
        await h.Service.CommentAsync(id, "minh.tran", "Mains feeder tripped; EVN informed.", CancellationToken.None);
        h.Time.Advance(TimeSpan.FromMinutes(10));
        var resolved = await h.Service.ResolveAsync(id, "minh.tran", "generator on", CancellationToken.None);

        Assert.Equal(AlertState.Acknowledged, acked.State);
        Assert.Equal("lan.nguyen", acked.AcknowledgedBy);
        Assert.Equal(AlertingHarness.Start + TimeSpan.FromMinutes(4), acked.AcknowledgedAt);
        Assert.Equal("minh.tran", assigned.Assignee);
        Assert.Equal("lan.nguyen", assigned.AssignedBy);
        Assert.Equal(AlertState.Resolved, resolved.State);
        Assert.Equal("minh.tran", resolved.ResolvedBy);
        Assert.Equal(AlertingHarness.Start + TimeSpan.FromMinutes(16), resolved.ResolvedAt);

        var details = await h.Service.GetAsync(id, CancellationToken.None);
        Assert.Equal(
            [("engine", "fired"), ("lan.nguyen", "acknowledged"), ("lan.nguyen", "assigned"), ("minh.tran", "commented"), ("minh.tran", "resolved")],
            details!.Audit.Select(a => (a.Actor, a.Action)).ToList());
        Assert.Equal(
            [0, 4, 5, 6, 16],
            details.Audit.Select(a => (int)(a.At - AlertingHarness.Start).TotalMinutes).ToList());
        var comment = Assert.Single(details.Comments);
        Assert.Equal("minh.tran", comment.Author);
        Assert.Equal("Mains feeder tripped; EVN informed.", comment.Text);
        Assert.Equal(
            [AlertChangeKind.Fired, AlertChangeKind.Acknowledged, AlertChangeKind.Assigned, AlertChangeKind.Commented, AlertChangeKind.Resolved],
            h.Changes.Select(c => c.Kind).ToList());
    }

    [Fact]
    public async Task Unacknowledge_AcknowledgedAlert_ReturnsToFiring()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(UpsRule));
        await h.TelemetryAsync(TestDevices.DcUps, """{"on_battery": true}""");
        var id = Assert.Single(await h.OpenAsync()).Id;
        await h.Service.AcknowledgeAsync(id, "lan", null, CancellationToken.None);

        var alert = await h.Service.UnacknowledgeAsync(id, "lan", CancellationToken.None);

        Assert.Equal(AlertState.Firing, alert.State);
        Assert.Null(alert.AcknowledgedBy);
    }

    [Fact]
    public async Task Commands_OnTheWrongState_AreRefusedWithAReason()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(UpsRule));
        await h.TelemetryAsync(TestDevices.DcUps, """{"on_battery": true}""");
        var id = Assert.Single(await h.OpenAsync()).Id;
        await h.Service.ResolveAsync(id, "lan", null, CancellationToken.None);

        var ack = await Assert.ThrowsAsync<AlertCommandException>(() => h.Service.AcknowledgeAsync(id, "lan", null, CancellationToken.None));
        Assert.Equal($"alert #{id} is resolved; only a firing alert can be acknowledged", ack.Message);
        await Assert.ThrowsAsync<AlertCommandException>(() => h.Service.ResolveAsync(id, "lan", null, CancellationToken.None));
        await Assert.ThrowsAsync<AlertCommandException>(() => h.Service.AssignAsync(id, "minh", "lan", CancellationToken.None));
        await Assert.ThrowsAsync<AlertCommandException>(() => h.Service.AcknowledgeAsync(id, " ", null, CancellationToken.None));
        await Assert.ThrowsAsync<AlertNotFoundException>(() => h.Service.AcknowledgeAsync(id + 100, "lan", null, CancellationToken.None));
    }

    [Fact]
    public async Task AutoResolve_AcknowledgedAlertWhoseConditionClears_IsResolvedByTheEngine()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(UpsRule));
        await h.TelemetryAsync(TestDevices.DcUps, """{"on_battery": true}""");
        var id = Assert.Single(await h.OpenAsync()).Id;
        await h.Service.AcknowledgeAsync(id, "lan", null, CancellationToken.None);

        await h.TelemetryAsync(TestDevices.DcUps, """{"on_battery": false}""");

        var alert = (await h.Service.GetAsync(id, CancellationToken.None))!.Alert;
        Assert.Equal(AlertState.Resolved, alert.State);
        Assert.Equal("engine", alert.ResolvedBy);
        Assert.Equal("lan", alert.AcknowledgedBy);
    }

    [Fact]
    public async Task ManualResolve_ConditionStillTrue_IsNotRaisedAgainUntilItClearsAndReturns()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(UpsRule));
        await h.TelemetryAsync(TestDevices.DcUps, """{"on_battery": true}""");
        await h.Service.ResolveAsync(Assert.Single(await h.OpenAsync()).Id, "lan", "known, generator test", CancellationToken.None);

        await h.TelemetryAsync(TestDevices.DcUps, """{"on_battery": true}""");
        Assert.Empty(await h.OpenAsync());

        await h.TelemetryAsync(TestDevices.DcUps, """{"on_battery": false}""");
        await h.TelemetryAsync(TestDevices.DcUps, """{"on_battery": true}""");
        Assert.Single(await h.OpenAsync());
        Assert.Equal(2, (await h.AllAsync()).Count);
    }

    [Fact]
    public async Task Dedup_SameRuleAndSubjectFiringAgainWhileOpen_KeepsOneAlertAndCountsRepeats()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(HotRule));
        var lifecycle = h.Services.GetRequiredService<AlertLifecycle>();
        var rule = h.Engine.Rules.ById["hot"];
        var subject = Subject.ForDevice(TestDevices.DcSensor, "tp-hai-duong");

        await lifecycle.ApplyAsync(new AlertSignal(rule, subject, true, 36, "hot", h.Now), CancellationToken.None);
        h.Time.Advance(TimeSpan.FromMinutes(1));
        await lifecycle.ApplyAsync(new AlertSignal(rule, subject, true, 38, "hotter", h.Now), CancellationToken.None);
        await lifecycle.ApplyAsync(new AlertSignal(rule, subject, true, 39, "hotter still", h.Now), CancellationToken.None);

        var alert = Assert.Single(await h.AllAsync());
        Assert.Equal(2, alert.RepeatCount);
        Assert.Equal(39, alert.Value);
        Assert.Equal(AlertingHarness.Start, alert.FiredAt);
        Assert.Equal(AlertingHarness.Start + TimeSpan.FromMinutes(1), alert.LastFiredAt);
    }

    [Fact]
    public async Task Flapping_ConditionTogglingOften_HoldsOneAlertOpenMarkedFlappingThenSettles()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(HotRule));

        for (var i = 0; i < 6; i++)
        {
            await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 37}""");
            h.Time.Advance(TimeSpan.FromSeconds(30));
            await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 30}""");
            h.Time.Advance(TimeSpan.FromSeconds(30));
        }

        var all = await h.AllAsync();
        var flapping = Assert.Single(all, a => a.IsOpen);
        Assert.True(flapping.Flapping);
        Assert.Equal(AlertState.Firing, flapping.State);
        Assert.False(flapping.ConditionActive);
        Assert.True(all.Count <= 2, $"flapping should stop new alerts, got {all.Count}");
        Assert.True(flapping.RepeatCount >= 3);
        Assert.Contains(h.Changes, c => c.Kind == AlertChangeKind.FlappingStarted);

        // Quiet (and clear) for the quiet period: it settles and resolves.
        await h.AdvanceAsync(TimeSpan.FromMinutes(11), TimeSpan.FromMinutes(1));
        var settled = (await h.Service.GetAsync(flapping.Id, CancellationToken.None))!;
        Assert.Equal(AlertState.Resolved, settled.Alert.State);
        Assert.False(settled.Alert.Flapping);
        Assert.Contains(settled.Audit, a => a.Action == "flapping ended");
    }

    [Fact]
    public async Task Flapping_SettlesWhileTheConditionHolds_StaysFiring()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(HotRule));
        for (var i = 0; i < 3; i++)
        {
            await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 37}""");
            await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 30}""");
        }

        await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 38}""");
        await h.AdvanceAsync(TimeSpan.FromMinutes(11), TimeSpan.FromMinutes(1));

        var alert = Assert.Single(await h.OpenAsync());
        Assert.False(alert.Flapping);
        Assert.True(alert.ConditionActive);
        Assert.Equal(AlertState.Firing, alert.State);
    }

    [Fact]
    public async Task Statistics_MttaAndMttr_PerSeverityAndSite()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(UpsRule, HotRule));
        await h.TelemetryAsync(TestDevices.DcUps, """{"on_battery": true}""");
        await h.TelemetryAsync(TestDevices.ThSwitch, """{"temp_c": 40}""");
        var open = await h.OpenAsync();
        var ups = open.Single(a => a.RuleId == "ups-on-battery").Id;
        var hot = open.Single(a => a.RuleId == "hot").Id;

        h.Time.Advance(TimeSpan.FromMinutes(2));
        await h.Service.AcknowledgeAsync(ups, "lan", null, CancellationToken.None);
        h.Time.Advance(TimeSpan.FromMinutes(4));
        await h.Service.AcknowledgeAsync(hot, "minh", null, CancellationToken.None);
        h.Time.Advance(TimeSpan.FromMinutes(4));
        await h.Service.ResolveAsync(ups, "lan", null, CancellationToken.None);
        h.Time.Advance(TimeSpan.FromMinutes(20));
        await h.Service.ResolveAsync(hot, "minh", null, CancellationToken.None);

        var stats = await h.Service.GetStatisticsAsync(AlertingHarness.Start.AddHours(-1), h.Now.AddHours(1), CancellationToken.None);

        var major = stats.BySeverity.Single(s => s.Group == "major");
        Assert.Equal(TimeSpan.FromMinutes(2), major.Mtta);
        Assert.Equal(TimeSpan.FromMinutes(10), major.Mttr);
        var critical = stats.BySeverity.Single(s => s.Group == "critical");
        Assert.Equal(TimeSpan.FromMinutes(6), critical.Mtta);
        Assert.Equal(TimeSpan.FromMinutes(30), critical.Mttr);
        Assert.Equal(TimeSpan.FromMinutes(2), stats.BySite.Single(s => s.Group == "dc-tinh").Mtta);
        Assert.Equal(TimeSpan.FromMinutes(30), stats.BySite.Single(s => s.Group == "thanh-ha").Mttr);
        Assert.Equal(2, stats.Overall.Alerts);
        Assert.Equal(TimeSpan.FromMinutes(4), stats.Overall.Mtta);
        Assert.Equal(TimeSpan.FromMinutes(20), stats.Overall.Mttr);
    }
}
