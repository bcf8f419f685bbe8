using Ioc.Contract.Alerts;
using Ioc.Alerting.Tests.Shared;
using Ioc.Contract;
using Ioc.Contract.Text;
using Ioc.Storage.Operational;
using Microsoft.Extensions.DependencyInjection;

namespace Ioc.Alerting.Tests.Engine;

/// <summary>
/// The shipped rule set against the signals each simulator scenario promises (docs/scenarios.md), fed as contract
/// payloads straight into the engine: the alerts each scenario should cause, and no others.
/// </summary>
public sealed class DefaultRuleScenarioTests
{
    private static readonly Lazy<string> DefaultRules = new(() => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Rules", "default-rules.json")));

    [Fact]
    public async Task DistrictFibreCut_ThanhHa_OneDistrictAlertWithEveryDeviceAlertGroupedUnderItThenAllClear()
    {
        await using var h = await AlertingHarness.CreateAsync(DefaultRules.Value);
        var thanhHa = new List<DeviceAddress>
        {
            new("thanh-ha", "switch", "TH-AGG-SW01"), new("thanh-ha", "switch", "TH-AGG-SW02"), new("thanh-ha", "router", "TH-RTR01"),
            new("thanh-ha", "firewall", "TH-FW01"), new("thanh-ha", "wifi-ap", "TH-AP01"),
        };
        for (var c = 1; c <= 6; c++)
        {
            thanhHa.Add(new($"thanh-ha-xa-{c:D2}", "switch", $"TH-C{c:D2}-SW"));
            thanhHa.Add(new($"thanh-ha-xa-{c:D2}", "wifi-ap", $"TH-C{c:D2}-AP1"));
        }

        var tuKy = Enumerable.Range(1, 6).Select(c => new DeviceAddress($"tu-ky-xa-{c:D2}", "wifi-ap", $"TK-C{c:D2}-AP1")).ToList();
        foreach (var device in thanhHa.Concat(tuKy))
        {
            await h.SendAsync(TestMessages.Status(device, online: true, h.Now));
        }

        // T: the fibre is cut; T + 90 s: the broker delivers every last will. Tứ Kỳ keeps reporting.
        for (var s = 0; s < 90; s += 30)
        {
            h.Time.Advance(TimeSpan.FromSeconds(30));
            foreach (var device in tuKy)
            {
                await h.TelemetryAsync(device, """{"clients": 12, "cpu_pct": 5}""");
            }

            await h.TickAsync();
        }

        foreach (var device in thanhHa)
        {
            await h.SendAsync(TestMessages.Status(device, online: false, h.Now));
        }

        await h.TickAsync();
        var open = await h.OpenAsync();
        var district = Assert.Single(open, a => a.ParentId is null);
        Assert.Equal("district-down", district.RuleId);
        Assert.Equal("thanh-ha", district.District);
        Assert.Equal(AlertSeverity.Critical, district.Severity);
        Assert.Equal(thanhHa.Count, open.Count(a => a.RuleId == "device-offline" && a.ParentId == district.Id));
        Assert.Equal(thanhHa.Count + 1, open.Count);

        // T + D: every device publishes online again.
        foreach (var device in thanhHa)
        {
            await h.SendAsync(TestMessages.Status(device, online: true, h.Now));
        }

        await h.TickAsync();
        Assert.Empty(await h.OpenAsync());
    }

    [Fact]
    public async Task CracFailure_RowB_CracAlertThenWarmThenOverheatOnlyInThatRow()
    {
        await using var h = await AlertingHarness.CreateAsync(DefaultRules.Value);
        var crac = new DeviceAddress("dc-tinh", "cooling", "DC-CRAC-B1");
        var rowB = Enumerable.Range(1, 3).Select(r => new DeviceAddress("dc-tinh", "env-sensor", $"DC-B0{r}-ENV")).ToList();
        var rowA = new DeviceAddress("dc-tinh", "env-sensor", "DC-A01-ENV");

        // 25 minutes of 30 s samples: inlet climbs from 22 °C towards 40 °C with an 8-minute time constant.
        for (var second = 0; second <= 25 * 60; second += 30)
        {
            var temperature = 40 - (18 * Math.Exp(-second / 480.0));
            await h.TelemetryAsync(crac, """{"compressor_ok": false, "fan_ok": true, "cooling_kw": 0, "supply_temp_c": 30}""");
            foreach (var sensor in rowB)
            {
                await h.TelemetryAsync(sensor, $$"""{"temp_c": {{temperature:F1}}, "humidity_pct": 45, "water_leak": false, "smoke": false, "door_open": false}""");
            }

            await h.TelemetryAsync(rowA, """{"temp_c": 22.5, "humidity_pct": 50, "water_leak": false, "smoke": false, "door_open": false}""");
            h.Time.Advance(TimeSpan.FromSeconds(30));
            await h.TickAsync();
        }

        var open = await h.OpenAsync();
        Assert.Single(open, a => a.RuleId == "crac-failure" && a.DeviceId == "DC-CRAC-B1");
        Assert.Equal(3, open.Count(a => a.RuleId == "dc-inlet-warm"));
        Assert.Equal(3, open.Count(a => a.RuleId == "dc-overheat"));
        Assert.Equal(3, (await h.AllAsync("dc-temp-rising")).Count);
        Assert.DoesNotContain(open, a => a.DeviceId == "DC-A01-ENV");
        var warm = (await h.AllAsync("dc-inlet-warm")).Min(a => a.FiredAt);
        var rising = (await h.AllAsync("dc-temp-rising")).Min(a => a.FiredAt);
        Assert.True(rising < warm, "the rising-trend warning should come before the threshold");
    }

    [Fact]
    public async Task MainsPowerLoss_EveryUpsOnBattery_OneSiteAlertWithTheUpsAlertsUnderItThenBatteryLow()
    {
        await using var h = await AlertingHarness.CreateAsync(DefaultRules.Value);
        var ups = Enumerable.Range(1, 4).Select(i => new DeviceAddress("dc-tinh", "ups", $"DC-UPS0{i}")).ToList();
        foreach (var unit in ups)
        {
            await h.TelemetryAsync(unit, """{"on_battery": false, "battery_pct": 100, "runtime_min": 35, "load_pct": 35, "input_voltage": 230}""");
        }

        for (var minute = 1; minute <= 30; minute++)
        {
            h.Time.Advance(TimeSpan.FromMinutes(1));
            var battery = 100 - (3 * minute);
            foreach (var unit in ups)
            {
                await h.TelemetryAsync(unit, $$"""{"on_battery": true, "battery_pct": {{battery}}, "runtime_min": {{battery * 0.35:F1}}, "load_pct": 35, "input_voltage": 0}""");
            }

            await h.TickAsync();
        }

        var open = await h.OpenAsync();
        var site = Assert.Single(open, a => a.RuleId == "site-mains-lost");
        Assert.Equal("dc-tinh", site.Site);
        Assert.Equal(4, open.Count(a => a.RuleId == "ups-on-battery" && a.ParentId == site.Id));
        Assert.Equal(4, open.Count(a => a.RuleId == "ups-battery-low"));
        Assert.Equal(4, open.Count(a => a.RuleId == "ups-runtime-low"));

        foreach (var unit in ups)
        {
            await h.TelemetryAsync(unit, """{"on_battery": false, "battery_pct": 11, "runtime_min": 4, "load_pct": 35, "input_voltage": 231}""");
        }

        await h.TickAsync();
        var after = await h.OpenAsync();
        Assert.DoesNotContain(after, a => a.RuleId is "ups-on-battery" or "site-mains-lost");
    }

    [Fact]
    public async Task BruteForce_ThirtyAttemptsAMinuteFromOneAddress_OneAlertThatRepeatsThenClears()
    {
        await using var h = await AlertingHarness.CreateAsync(DefaultRules.Value);
        await h.Services.GetRequiredService<ISiteStore>().UpsertAsync(
            [new SiteRecord("core", "Lõi mạng tỉnh", "Provincial core network", null, SiteKinds.Core)], h.Now, CancellationToken.None);
        var firewall = new DeviceAddress("core", "firewall", "CORE-FW-EDGE");
        string[] users = ["admin", "root", "administrator", "vpn", "support", "test"];

        for (var i = 0; i < 300; i++)
        {
            await h.SendAsync(TestMessages.Event(firewall, "auth_failure", $$"""{"src_ip": "203.0.113.77", "user": "{{users[i % users.Length]}}", "service": "ssh", "src_port": {{40000 + i}}}""", h.Now));
            h.Time.Advance(TimeSpan.FromSeconds(2));
            if (i % 15 == 0)
            {
                await h.TickAsync();
            }
        }

        var alert = Assert.Single(await h.AllAsync());
        Assert.Equal("brute-force", alert.RuleId);
        Assert.Equal("Dò mật khẩu từ 203.0.113.77 vào tường lửa CORE-FW-EDGE (Lõi mạng tỉnh): 30 lần đăng nhập thất bại trong 1 phút", alert.Summary);
        Assert.Equal("Brute force from 203.0.113.77 against firewall CORE-FW-EDGE (Provincial core network): 30 failed logins within 1 min", alert.Texts!.Summary.En);
        Assert.Equal(new LocalizedText("Dò mật khẩu đăng nhập", "Brute-force login"), alert.Texts.RuleName);
        Assert.Equal("CORE-FW-EDGE", alert.DeviceId);
        Assert.Equal("203.0.113.77", alert.Labels["src_ip"]);
        Assert.InRange(alert.RepeatCount, 8, 10);

        await h.AdvanceAsync(TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(10));
        Assert.Empty(await h.OpenAsync());
    }

    [Fact]
    public async Task RogueApAndDdosAndLinkFlap_EventsRaiseOneAlertEachAndGoStaleWhenReportsStop()
    {
        await using var h = await AlertingHarness.CreateAsync(DefaultRules.Value);
        var ap = new DeviceAddress("tu-ky-xa-01", "wifi-ap", "TK-C01-AP1");
        var edge = new DeviceAddress("core", "firewall", "CORE-FW-EDGE");
        var aggregation = new DeviceAddress("nam-sach", "switch", "NS-AGG-SW01");

        for (var minute = 0; minute < 10; minute++)
        {
            // Their ordinary telemetry goes on (the devices stay online).
            await h.TelemetryAsync(ap, """{"clients": 8, "cpu_pct": 4}""");
            await h.TelemetryAsync(edge, """{"throughput_mbps": 800, "cpu_pct": 35}""");
            await h.TelemetryAsync(aggregation, """{"if_up": true, "if_in_errors": 7, "cpu_pct": 12}""");
            if (minute % 5 == 0)
            {
                await h.SendAsync(TestMessages.Event(ap, "rogue_ap", """{"bssid": "02:1a:2b:3c:4d:5e", "ssid": "HaiDuong_Free_WiFi", "channel": 6, "rssi_dbm": -52}""", h.Now, "major"));
            }

            if (minute == 1)
            {
                await h.SendAsync(TestMessages.Event(edge, "ddos_suspected", """{"target_ip": "198.51.100.20", "factor": 20, "vector": "udp_flood"}""", h.Now, "critical"));
            }

            // Two flaps a minute on the uplink.
            for (var flap = 0; flap < 2; flap++)
            {
                await h.SendAsync(TestMessages.Event(aggregation, "link_down", """{"interface": "Te1/1/1"}""", h.Now, "major"));
                h.Time.Advance(TimeSpan.FromSeconds(12));
                await h.SendAsync(TestMessages.Event(aggregation, "link_up", """{"interface": "Te1/1/1"}""", h.Now, "info"));
                h.Time.Advance(TimeSpan.FromSeconds(18));
            }

            await h.TickAsync();
        }

        var open = await h.OpenAsync();
        var rogue = Assert.Single(open, a => a.RuleId == "rogue-ap");
        Assert.Equal("Rogue AP 02:1a:2b:3c:4d:5e near TK-C01-AP1 (Tu Ky · Xa 01)", rogue.Texts!.Summary.En);
        Assert.Equal("Điểm phát giả mạo 02:1a:2b:3c:4d:5e gần TK-C01-AP1 (Tu Ky · Xa 01)", rogue.Summary);
        Assert.Equal(1, rogue.RepeatCount);
        Assert.Equal("tu-ky", rogue.District);
        Assert.Single(open, a => a.RuleId == "ddos-suspected" && a.DeviceId == "CORE-FW-EDGE");
        var flapping = Assert.Single(open, a => a.RuleId == "link-flapping");
        Assert.Equal("Te1/1/1", flapping.Labels["interface"]);
        Assert.Equal(3, open.Count);

        // Reports stop (the devices keep talking): every one of them goes stale and clears.
        for (var minute = 0; minute < 16; minute++)
        {
            await h.TelemetryAsync(ap, """{"clients": 8, "cpu_pct": 4}""");
            await h.TelemetryAsync(edge, """{"throughput_mbps": 800, "cpu_pct": 35}""");
            await h.TelemetryAsync(aggregation, """{"if_up": true, "if_in_errors": 7, "cpu_pct": 12}""");
            await h.AdvanceAsync(TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(30));
        }

        Assert.Empty(await h.OpenAsync());
    }

    [Fact]
    public async Task DiskFill_RootFileSystemOfOneServer_WarningThenCritical()
    {
        await using var h = await AlertingHarness.CreateAsync(DefaultRules.Value);
        var server = new DeviceAddress("dc-tinh", "server", "DC-A01-SRV01");
        var other = new DeviceAddress("dc-tinh", "server", "DC-A01-SRV02");

        for (var minute = 0; minute <= 20; minute++)
        {
            var used = Math.Min(100, 60 + (2 * minute));
            var ns = h.Now.ToUnixTimeMilliseconds() * 1_000_000;
            await h.SendAsync(TestMessages.LineProtocol(server, $"disk,fstype=ext4,host=DC-A01-SRV01,mode=rw,path=/,rack=A01,row=A total=1000i,used={used * 10}i,free={1000 - (used * 10)}i,used_percent={used} {ns}\ncpu,cpu=cpu-total,host=DC-A01-SRV01,rack=A01,row=A usage_idle=76.3 {ns}", h.Now));
            await h.SendAsync(TestMessages.LineProtocol(other, $"disk,fstype=ext4,host=DC-A01-SRV02,mode=rw,path=/,rack=A01,row=A total=1000i,used=500i,free=500i,used_percent=50 {ns}", h.Now));
            h.Time.Advance(TimeSpan.FromMinutes(1));
            await h.TickAsync();
        }

        var open = await h.OpenAsync();
        Assert.Equal(["disk-almost-full", "disk-full"], open.Select(a => a.RuleId).Order().ToArray());
        Assert.All(open, a => Assert.Equal("DC-A01-SRV01", a.DeviceId));
        Assert.All(open, a => Assert.Equal("/", a.Labels["path"]));
    }

    [Fact]
    public async Task CollectorHealth_DegradedThenFailingThenHealthy_RaisesEachAlertAndClearsIt()
    {
        await using var h = await AlertingHarness.CreateAsync(DefaultRules.Value);
        var collector = new DeviceAddress("ioc-core", DeviceTypes.Collector, "ioc-collector-0");

        await h.TelemetryAsync(collector, """{"health": 1, "spool_bytes": 4096, "spool_full": false, "no_write_seconds": 0}""");
        await h.TickAsync();
        var degraded = Assert.Single(await h.OpenAsync());
        Assert.Equal("collector-degraded", degraded.RuleId);
        Assert.Equal(AlertSeverity.Warning, degraded.Severity);

        h.Time.Advance(TimeSpan.FromSeconds(10));
        await h.TelemetryAsync(collector, """{"health": 2, "spool_bytes": 1073741824, "spool_full": true, "no_write_seconds": 20}""");
        await h.TickAsync();
        var failing = Assert.Single(await h.OpenAsync());
        Assert.Equal("collector-failing", failing.RuleId);
        Assert.Equal(AlertSeverity.Critical, failing.Severity);

        h.Time.Advance(TimeSpan.FromSeconds(10));
        await h.TelemetryAsync(collector, """{"health": 0, "spool_bytes": 0, "spool_full": false, "no_write_seconds": 0}""");
        await h.TickAsync();
        Assert.Empty(await h.OpenAsync());
    }

    [Fact]
    public async Task DeviceFlooding_TheCollectorsEvent_RaisesOneAlertPerFlooderThatGoesStaleWhenItStops()
    {
        await using var h = await AlertingHarness.CreateAsync(DefaultRules.Value);
        var collector = new DeviceAddress("ioc-core", DeviceTypes.Collector, "ioc-collector-0");

        for (var minute = 0; minute < 3; minute++)
        {
            await h.SendAsync(TestMessages.Event(collector, "device_flooding", """{"flood_device": "dc-tinh/env-sensor/DC-ENV-01", "rate": 31500, "limit": 50}""", h.Now, "major"));
            await h.TelemetryAsync(collector, """{"health": 0, "flood_devices": 1}""");
            h.Time.Advance(TimeSpan.FromMinutes(1));
            await h.TickAsync();
        }

        var alert = Assert.Single(await h.OpenAsync());
        Assert.Equal("device-flooding", alert.RuleId);
        Assert.Equal("dc-tinh/env-sensor/DC-ENV-01", alert.Labels["flood_device"]);

        for (var step = 0; step < 8; step++)
        {
            // The collector goes on reporting (so it is not offline), without the event.
            await h.TelemetryAsync(collector, """{"health": 0, "flood_devices": 0}""");
            h.Time.Advance(TimeSpan.FromSeconds(30));
            await h.TickAsync();
        }

        Assert.Empty(await h.OpenAsync());
    }
}
