using Ioc.Contract.Alerts;
using Ioc.Alerting.Tests.Shared;
using Ioc.Contract;

namespace Ioc.Alerting.Tests.Engine;

/// <summary>Each rule kind, end to end: contract payload → decoder → engine → stored alert.</summary>
public sealed class RuleKindTests
{
    private const string Overheat = """
        {"id":"dc-overheat","kind":"threshold","severity":"critical","scope":{"deviceTypes":["env-sensor"]},
         "metric":"temp_c","op":">","value":35,"clear":32,"for":"2m"}
        """;

    [Fact]
    public async Task Threshold_ViolationHeldForTheDuration_FiresOnceAndClearsOnlyBelowTheClearThreshold()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(Overheat));

        await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 36.5}""");
        await h.AdvanceAsync(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(10));
        await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 37}""");
        Assert.Empty(await h.OpenAsync());

        await h.AdvanceAsync(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(10));
        var alert = Assert.Single(await h.OpenAsync());
        Assert.Equal("dc-overheat", alert.RuleId);
        Assert.Equal(AlertSeverity.Critical, alert.Severity);
        Assert.Equal(AlertState.Firing, alert.State);
        Assert.Equal("dc-tinh", alert.Site);
        Assert.Equal("tp-hai-duong", alert.District);
        Assert.Equal("DC-ENV-01", alert.DeviceId);
        Assert.Equal(AlertingHarness.Start + TimeSpan.FromMinutes(2), alert.FiredAt);

        // Between the clear threshold (32) and the trigger (35): hysteresis keeps it firing.
        await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 33.5}""");
        await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 36}""");
        Assert.Single(await h.OpenAsync());

        await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 31.9}""");
        Assert.Empty(await h.OpenAsync());
        var resolved = Assert.Single(await h.AllAsync());
        Assert.Equal(AlertState.Resolved, resolved.State);
        Assert.Equal("engine", resolved.ResolvedBy);
        Assert.Equal(0, resolved.RepeatCount);
    }

    [Fact]
    public async Task Threshold_ViolationShorterThanTheDuration_DoesNotFire()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(Overheat));

        await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 40}""");
        await h.AdvanceAsync(TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(10));
        await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 30}""");
        await h.AdvanceAsync(TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(30));

        Assert.Empty(await h.AllAsync());
    }

    [Fact]
    public async Task Threshold_ScopedByTagAndMeasurement_IgnoresOtherSeries()
    {
        var rule = """
            {"id":"root-disk","kind":"threshold","severity":"major","measurement":"disk","scope":{"tags":{"path":"/"}},
             "metric":"used_percent","op":">","value":90,"groupBy":["device","path"]}
            """;
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(rule));
        var ns = h.Now.ToUnixTimeMilliseconds() * 1_000_000;

        await h.SendAsync(TestMessages.LineProtocol(TestDevices.DcServer, $"disk,path=/data used_percent=97.5 {ns}\ncpu,cpu=cpu-total usage_idle=10 {ns}", h.Now));
        Assert.Empty(await h.OpenAsync());

        await h.SendAsync(TestMessages.LineProtocol(TestDevices.DcServer, $"disk,path=/,fstype=ext4 used_percent=93.1,free=1200i {ns}", h.Now));
        var alert = Assert.Single(await h.OpenAsync());
        Assert.Equal("device=dc-tinh/server/DC-SRV-01,path=/", alert.SubjectKey);
        Assert.Equal("/", alert.Labels["path"]);
        Assert.Equal(93.1, alert.Value);
    }

    [Fact]
    public async Task Offline_LastWill_FiresAndOnlineClears()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules("""{"id":"device-offline","kind":"offline","severity":"major"}"""));

        await h.SendAsync(TestMessages.Status(TestDevices.ThSwitch, online: true, h.Now));
        await h.SendAsync(TestMessages.Status(TestDevices.ThSwitch, online: false, h.Now));
        var alert = Assert.Single(await h.OpenAsync());
        Assert.Equal("thanh-ha", alert.District);
        Assert.Contains("last will", alert.Texts!.Summary.En);
        Assert.Contains("mất kết nối", alert.Summary);

        h.Time.Advance(TimeSpan.FromMinutes(3));
        await h.SendAsync(TestMessages.Status(TestDevices.ThSwitch, online: true, h.Now));
        Assert.Empty(await h.OpenAsync());
        Assert.Equal(AlertingHarness.Start + TimeSpan.FromMinutes(3), Assert.Single(await h.AllAsync()).ResolvedAt);
    }

    [Fact]
    public async Task Offline_NoDataForMissedIntervals_FiresAndNextMessageClears()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules("""{"id":"silent","kind":"offline","severity":"major","status":false,"interval":"30s","missed":3}"""));

        await h.TelemetryAsync(TestDevices.ThSwitch, """{"if_in_errors": 1}""");
        await h.AdvanceAsync(TimeSpan.FromSeconds(89));
        Assert.Empty(await h.OpenAsync());

        await h.AdvanceAsync(TimeSpan.FromSeconds(1));
        var alert = Assert.Single(await h.OpenAsync());
        Assert.Equal("no data for 1 min 30 s", alert.Texts!.Summary.En.Split(": ")[1]);
        Assert.Equal("không có dữ liệu trong 1 ph 30 giây", alert.Summary.Split(": ")[1]);

        await h.TelemetryAsync(TestDevices.ThSwitch, """{"if_in_errors": 1}""");
        Assert.Empty(await h.OpenAsync());
    }

    [Fact]
    public async Task Rate_CounterIncreaseOverTheWindow_FiresCountingResetsAndClears()
    {
        var rule = """
            {"id":"if-errors","kind":"rate","severity":"minor","metric":"if_in_errors","mode":"increase","window":"5m","op":">","value":100,"clear":10}
            """;
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(rule));

        await h.TelemetryAsync(TestDevices.ThSwitch, """{"if_in_errors": 1000}""");
        h.Time.Advance(TimeSpan.FromMinutes(1));
        await h.TelemetryAsync(TestDevices.ThSwitch, """{"if_in_errors": 1060}""");
        h.Time.Advance(TimeSpan.FromMinutes(1));
        await h.TelemetryAsync(TestDevices.ThSwitch, """{"if_in_errors": 20}""");
        Assert.Empty(await h.OpenAsync());

        h.Time.Advance(TimeSpan.FromMinutes(1));
        await h.TelemetryAsync(TestDevices.ThSwitch, """{"if_in_errors": 45}""");
        var alert = Assert.Single(await h.OpenAsync());
        Assert.Equal(60 + 20 + 25, alert.Value);

        for (var i = 0; i < 6; i++)
        {
            h.Time.Advance(TimeSpan.FromMinutes(1));
            await h.TelemetryAsync(TestDevices.ThSwitch, """{"if_in_errors": 46}""");
        }

        Assert.Empty(await h.OpenAsync());
    }

    [Fact]
    public async Task Rate_PerSecondChangeOfAGauge_FiresOnceTheSamplesSpanHalfTheWindow()
    {
        var rule = """
            {"id":"temp-rising","kind":"rate","severity":"warning","metric":"temp_c","mode":"per_second","window":"5m","op":">","value":0.03,"clear":0.005}
            """;
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(rule));

        await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 24}""");
        h.Time.Advance(TimeSpan.FromMinutes(2));
        await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 30}""");
        Assert.Empty(await h.OpenAsync());

        h.Time.Advance(TimeSpan.FromMinutes(1));
        await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 32}""");

        var alert = Assert.Single(await h.OpenAsync());
        Assert.Equal(8.0 / 180, alert.Value!.Value, 6);
    }

    [Fact]
    public async Task EventCount_FiveAuthFailuresFromOneSourceIpIn60s_RaisesOneBruteForceAlert()
    {
        var rule = """
            {"id":"ssh-brute-force","kind":"event_count","severity":"major","eventType":"auth_failure","groupBy":["src_ip"],"window":"60s","count":5,
             "summary":"{value} failed logins from {src_ip} within {window}"}
            """;
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(rule));

        // Four from the attacker, spread over two devices, plus noise from other addresses: not yet.
        for (var i = 0; i < 4; i++)
        {
            await h.SendAsync(TestMessages.Event(i % 2 == 0 ? TestDevices.DcFirewall : TestDevices.DcServer, "auth_failure", """{"src_ip":"203.0.113.7","user":"admin"}""", h.Now));
            await h.SendAsync(TestMessages.Event(TestDevices.DcServer, "auth_failure", $$"""{"src_ip":"198.51.100.{{i}}"}""", h.Now));
            h.Time.Advance(TimeSpan.FromSeconds(10));
        }

        await h.SendAsync(TestMessages.Event(TestDevices.DcServer, "login_ok", """{"src_ip":"203.0.113.7"}""", h.Now));
        Assert.Empty(await h.OpenAsync());

        await h.SendAsync(TestMessages.Event(TestDevices.DcFirewall, "auth_failure", """{"src_ip":"203.0.113.7","user":"root"}""", h.Now));
        var alert = Assert.Single(await h.OpenAsync());
        Assert.Equal("src_ip=203.0.113.7", alert.SubjectKey);
        Assert.Equal("5 failed logins from 203.0.113.7 within 1 min", alert.Texts!.Summary.En);
        Assert.Null(alert.DeviceId);

        // More attempts keep the one alert; quiet for a whole window clears it.
        await h.SendAsync(TestMessages.Event(TestDevices.DcFirewall, "auth_failure", """{"src_ip":"203.0.113.7"}""", h.Now));
        Assert.Single(await h.AllAsync());
        await h.AdvanceAsync(TimeSpan.FromSeconds(61), TimeSpan.FromSeconds(5));
        Assert.Empty(await h.OpenAsync());
    }

    [Fact]
    public async Task EventCount_FailuresOutsideTheWindow_DoNotAddUp()
    {
        var rule = """{"id":"bf","kind":"event_count","severity":"major","eventType":"auth_failure","groupBy":["src_ip"],"window":"60s","count":5}""";
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(rule));

        for (var i = 0; i < 10; i++)
        {
            await h.SendAsync(TestMessages.Event(TestDevices.DcFirewall, "auth_failure", """{"src_ip":"203.0.113.9"}""", h.Now));
            await h.AdvanceAsync(TimeSpan.FromSeconds(16), TimeSpan.FromSeconds(8));
        }

        Assert.Empty(await h.AllAsync());
    }

    [Fact]
    public async Task State_UpsOnBattery_FiresAndClearsWhenMainsReturn()
    {
        var rule = """{"id":"ups-on-battery","kind":"state","severity":"major","scope":{"deviceTypes":["ups"]},"metric":"on_battery","equals":true}""";
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(rule));

        await h.TelemetryAsync(TestDevices.DcUps, """{"on_battery": false, "battery_pct": 100}""");
        await h.TelemetryAsync(TestDevices.DcSensor, """{"on_battery": true}""");
        Assert.Empty(await h.OpenAsync());

        await h.TelemetryAsync(TestDevices.DcUps, """{"on_battery": true, "battery_pct": 97}""");
        var alert = Assert.Single(await h.OpenAsync());
        Assert.Equal("DC-UPS-01", alert.DeviceId);

        await h.TelemetryAsync(TestDevices.DcUps, """{"on_battery": false, "battery_pct": 95}""");
        Assert.Empty(await h.OpenAsync());
    }

    [Fact]
    public async Task State_StringValues_MatchAnyListed()
    {
        var rule = """{"id":"cooling","kind":"state","severity":"critical","metric":"state","equals":["fault","off"]}""";
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(rule));
        var unit = new DeviceAddress("dc-tinh", "cooling", "DC-CRAC-01");

        await h.TelemetryAsync(unit, """{"state": "running"}""");
        Assert.Empty(await h.OpenAsync());
        await h.TelemetryAsync(unit, """{"state": "fault"}""");
        Assert.Single(await h.OpenAsync());
    }

    [Fact]
    public async Task Scope_DistrictAndSite_OnlyMatchingDevicesAlert()
    {
        var rule = """{"id":"ap-busy","kind":"threshold","severity":"minor","scope":{"districts":["tu-ky"],"deviceTypes":["wifi-ap"]},"metric":"clients","op":">","value":100}""";
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(rule));

        await h.TelemetryAsync(TestDevices.ThanhHaAp(1), """{"clients": 150}""");
        await h.TelemetryAsync(TestDevices.TuKyAp(1), """{"clients": 150}""");

        var alert = Assert.Single(await h.OpenAsync());
        Assert.Equal("tu-ky", alert.District);
        Assert.Equal("tu-ky-ngoc-son", alert.Site);
    }

    [Fact]
    public async Task Composite_MostDevicesOfADistrictOffline_RaisesOneDistrictAlertWithTheDeviceAlertsUnderIt()
    {
        var rules = AlertingHarness.Rules(
            """{"id":"device-offline","kind":"offline","severity":"major","interval":"30s","missed":3}""",
            """{"id":"district-down","kind":"composite","severity":"critical","of":"device-offline","level":"district","ratio":0.6,"clearRatio":0.3,"minDevices":3}""");
        await using var h = await AlertingHarness.CreateAsync(rules);
        for (var i = 0; i < 10; i++)
        {
            await h.TelemetryAsync(TestDevices.ThanhHaAp(i), """{"clients": 5}""");
            await h.TelemetryAsync(TestDevices.TuKyAp(i), """{"clients": 5}""");
        }

        // Fibre cut in Thanh Hà: 8 of its 10 access points fall silent (two on another uplink keep talking); Tứ Kỳ is fine.
        for (var second = 0; second < 120; second += 10)
        {
            h.Time.Advance(TimeSpan.FromSeconds(10));
            for (var i = 0; i < 10; i++)
            {
                await h.TelemetryAsync(TestDevices.TuKyAp(i), """{"clients": 5}""");
            }

            await h.TelemetryAsync(TestDevices.ThanhHaAp(8), """{"clients": 5}""");
            await h.TelemetryAsync(TestDevices.ThanhHaAp(9), """{"clients": 5}""");
            await h.TickAsync();
        }

        var open = await h.OpenAsync();
        var district = Assert.Single(open, a => a.RuleId == "district-down");
        Assert.Equal("thanh-ha", district.District);
        Assert.Equal("district=thanh-ha", district.SubjectKey);
        Assert.Equal(8, district.Value);
        var children = open.Where(a => a.RuleId == "device-offline").ToList();
        Assert.Equal(8, children.Count);
        Assert.All(children, c => Assert.Equal(district.Id, c.ParentId));
        Assert.Single(await h.Service.ListOpenAsync(new AlertFilter { TopLevelOnly = true }, CancellationToken.None));
        var details = await h.Service.GetAsync(district.Id, CancellationToken.None);
        Assert.Equal(8, details!.Children.Count);

        // The link comes back: the district alert and the device alerts clear.
        for (var i = 0; i < 10; i++)
        {
            await h.TelemetryAsync(TestDevices.ThanhHaAp(i), """{"clients": 5}""");
        }

        await h.TickAsync();
        Assert.Empty(await h.OpenAsync());
    }

    [Fact]
    public async Task Composite_FewDevicesOffline_RaisesNoDistrictAlert()
    {
        var rules = AlertingHarness.Rules(
            """{"id":"device-offline","kind":"offline","severity":"major"}""",
            """{"id":"district-down","kind":"composite","severity":"critical","of":"device-offline","ratio":0.6,"minDevices":3}""");
        await using var h = await AlertingHarness.CreateAsync(rules);
        for (var i = 0; i < 10; i++)
        {
            await h.SendAsync(TestMessages.Status(TestDevices.ThanhHaAp(i), online: true, h.Now));
        }

        for (var i = 0; i < 5; i++)
        {
            await h.SendAsync(TestMessages.Status(TestDevices.ThanhHaAp(i), online: false, h.Now));
        }

        await h.TickAsync();
        var open = await h.OpenAsync();
        Assert.Equal(5, open.Count);
        Assert.All(open, a => Assert.Equal("device-offline", a.RuleId));
        Assert.All(open, a => Assert.Null(a.ParentId));
    }
}
