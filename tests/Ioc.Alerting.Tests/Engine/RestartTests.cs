using Ioc.Contract.Alerts;
using Ioc.Alerting.Tests.Shared;

namespace Ioc.Alerting.Tests.Engine;

/// <summary>Alert state lives in SQLite: a restart neither raises an open alert twice nor loses one.</summary>
public sealed class RestartTests
{
    private const string Rules = """
        {"version":1,"districts":["thanh-ha"],"rules":[
          {"id":"hot","kind":"threshold","severity":"critical","metric":"temp_c","op":">","value":35,"clear":32},
          {"id":"device-offline","kind":"offline","severity":"major","interval":"30s","missed":3},
          {"id":"bf","kind":"event_count","severity":"major","eventType":"auth_failure","groupBy":["src_ip"],"window":"60s","count":3}
        ]}
        """;

    [Fact]
    public async Task Restart_ConditionStillTrue_DoesNotRaiseTheOpenAlertAgain()
    {
        await using var h = await AlertingHarness.CreateAsync(Rules);
        await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 40}""");
        var before = Assert.Single(await h.OpenAsync("hot"));
        await h.Service.AcknowledgeAsync(before.Id, "lan", null, CancellationToken.None);

        await h.RestartAsync();
        await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 41}""");
        await h.TickAsync();

        var after = Assert.Single(await h.AllAsync("hot"));
        Assert.Equal(before.Id, after.Id);
        Assert.Equal(AlertState.Acknowledged, after.State);
        Assert.Equal(0, after.RepeatCount);
        Assert.Equal("lan", after.AcknowledgedBy);
    }

    [Fact]
    public async Task Restart_ConditionClearsAfterwards_ResolvesTheAlertRaisedBeforeTheRestart()
    {
        await using var h = await AlertingHarness.CreateAsync(Rules);
        await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 40}""");
        await h.SendAsync(TestMessages.Event(TestDevices.DcFirewall, "auth_failure", """{"src_ip":"203.0.113.7"}""", h.Now));
        await h.SendAsync(TestMessages.Event(TestDevices.DcFirewall, "auth_failure", """{"src_ip":"203.0.113.7"}""", h.Now));
        await h.SendAsync(TestMessages.Event(TestDevices.DcFirewall, "auth_failure", """{"src_ip":"203.0.113.7"}""", h.Now));
        Assert.Single(await h.OpenAsync("bf"));

        await h.RestartAsync();
        await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 30}""");
        await h.AdvanceAsync(TimeSpan.FromSeconds(61), TimeSpan.FromSeconds(10));

        Assert.Empty(await h.OpenAsync("hot"));
        Assert.Empty(await h.OpenAsync("bf"));
        Assert.Single(await h.AllAsync("hot"));
        Assert.Single(await h.AllAsync("bf"));
    }

    [Fact]
    public async Task Restart_KnownDeviceStaysSilent_IsReportedOfflineAfterTheGraceFromStartUp()
    {
        await using var h = await AlertingHarness.CreateAsync(Rules);
        await h.TelemetryAsync(TestDevices.ThSwitch, """{"if_in_errors": 0}""");
        await h.TickAsync();

        h.Time.Advance(TimeSpan.FromMinutes(10));
        await h.RestartAsync();
        await h.AdvanceAsync(TimeSpan.FromSeconds(80), TimeSpan.FromSeconds(10));
        Assert.Empty(await h.OpenAsync("device-offline"));

        await h.AdvanceAsync(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));
        var alert = Assert.Single(await h.OpenAsync("device-offline"));
        Assert.Equal("TH-SW-01", alert.DeviceId);
        Assert.Equal("thanh-ha", alert.District);
    }

    [Fact]
    public async Task Restart_PendingNotifications_AreStillDeliveredFromTheOutbox()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Ioc:Alerting:Notifications:Webhooks:0:Name"] = "soc",
            ["Ioc:Alerting:Notifications:Webhooks:0:Url"] = "http://127.0.0.1:9/unused",
        };
        await using var h = await AlertingHarness.CreateAsync(Rules, settings);
        await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 40}""");

        await h.RestartAsync();

        var pending = await h.Outbox.DueAsync(h.Now.AddMinutes(1), 10, CancellationToken.None);
        var notification = Assert.Single(pending);
        Assert.Equal("fired", notification.Event);
        Assert.Equal(NotificationStatus.Pending, notification.Status);
    }

    [Fact]
    public async Task StoreRefusesAWrite_SignalIsKeptAndAppliedOnTheNextTick()
    {
        await using var h = await AlertingHarness.CreateAsync(Rules);
        await h.Database.ExecuteAsync("ALTER TABLE alerts RENAME TO alerts_away", CancellationToken.None);

        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 40}"""));
        await h.Database.ExecuteAsync("ALTER TABLE alerts_away RENAME TO alerts", CancellationToken.None);
        await h.TickAsync();

        var alert = Assert.Single(await h.OpenAsync("hot"));
        Assert.Equal("DC-ENV-01", alert.DeviceId);
    }
}

