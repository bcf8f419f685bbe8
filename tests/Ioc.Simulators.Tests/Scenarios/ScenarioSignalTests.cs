using Ioc.Contract.Model;
using Ioc.Simulators.Generation;
using Ioc.Simulators.Scenarios;
using Ioc.Simulators.Tests.Shared;

namespace Ioc.Simulators.Tests.Scenarios;

/// <summary>Each scenario produces the signals docs/scenarios.md promises (checked on the pure generator).</summary>
public sealed class ScenarioSignalTests
{
    private static readonly DateTimeOffset T0 = TestFleets.Start;

    [Fact]
    public void DistrictFibreCut_DistrictSilentWillsThenBackOnline()
    {
        // Arrange
        var generator = TestFleets.Generator("district-fibre-cut@2m,district=thanh-ha,duration=10m");
        var scenario = (DistrictFibreCutScenario)generator.Scenarios.Scenarios[0];
        var affected = scenario.AffectedDevices.Select(d => d.Id).ToHashSet();

        // Act
        var messages = generator.Until(T0.AddMinutes(15)).ToList();

        // Assert
        Assert.True(affected.Count > 50);
        Assert.All(scenario.AffectedDevices, d => Assert.Equal("thanh-ha", d.District));
        var during = messages.Where(m => m.At >= T0.AddMinutes(2) && m.At < T0.AddMinutes(12)).ToList();
        Assert.DoesNotContain(during, m => m.Kind == SimMessageKind.Telemetry && affected.Contains(Id(m)));
        var wills = during.Where(m => m.Kind == SimMessageKind.Will).ToList();
        Assert.Equal(affected.Order(), wills.Select(Id).Order());
        Assert.All(wills, w => Assert.Equal(T0.AddMinutes(2).AddSeconds(90), w.At));
        Assert.All(wills, w => Assert.Equal(DeviceState.Offline, TestFleets.Decode(w).Message!.Status!.State));
        Assert.Contains(during, m => m.Kind == SimMessageKind.Telemetry && Id(m).StartsWith("TK-", StringComparison.Ordinal));
        var back = messages.Where(m => m.At == T0.AddMinutes(12) && m.Kind == SimMessageKind.Status && m.Online == true).Select(Id).ToHashSet();
        Assert.Superset(affected, back);
        Assert.Contains(messages, m => m.At > T0.AddMinutes(12) && m.Kind == SimMessageKind.Telemetry && affected.Contains(Id(m)));
    }

    [Fact]
    public void CracFailure_RowInletClimbsOtherRowsSteadyThenRecovers()
    {
        // Arrange
        var generator = TestFleets.Generator("crac-failure@5m,row=B,duration=25m");

        // Act
        var messages = generator.Until(T0.AddMinutes(50)).ToList();

        // Assert
        var rowB = Signals.Numbers(messages, "DC-B02-ENV", "temp_c");
        var rowA = Signals.Numbers(messages, "DC-A02-ENV", "temp_c");
        Assert.True(rowB.Where(x => x.At < T0.AddMinutes(5)).All(x => x.Value < 26));
        Assert.True(rowB.Where(x => x.At >= T0.AddMinutes(25) && x.At < T0.AddMinutes(30)).All(x => x.Value > 30), "row B inlet above 30 °C after 20 min");
        Assert.True(rowA.All(x => x.Value < 26));
        Assert.True(rowB.Where(x => x.At >= T0.AddMinutes(45)).All(x => x.Value < 27), "row B back below 27 °C 15 min after repair");
        var compressor = Signals.Series(messages, "DC-CRAC-B1", "compressor_ok");
        Assert.Contains(compressor, x => x.At > T0.AddMinutes(6) && x.At < T0.AddMinutes(30) && !x.Value.AsBoolean());
        Assert.True(compressor.Where(x => x.At > T0.AddMinutes(31)).All(x => x.Value.AsBoolean()));
        Assert.Single(Signals.Events(messages, "compressor_fault"), e => e.Device.DeviceId == "DC-CRAC-B1" && e.Severity == EventSeverity.Critical);
        Assert.Single(Signals.Events(messages, "compressor_restored"));
        var cpuTemp = Signals.Numbers(messages, "DC-B02-SRV01", "temp", "temp");
        Assert.True(cpuTemp.Where(x => x.At > T0.AddMinutes(28) && x.At < T0.AddMinutes(30)).Min(x => x.Value) > cpuTemp.Where(x => x.At < T0.AddMinutes(5)).Max(x => x.Value));
    }

    [Fact]
    public void MainsPowerLoss_UpsOnBatteryDrainsThenRecharges()
    {
        // Arrange
        var generator = TestFleets.Generator("mains-power-loss@2m,duration=30m");

        // Act
        var messages = generator.Until(T0.AddMinutes(45)).ToList();

        // Assert
        var battery = Signals.Numbers(messages, "DC-UPS01", "battery_pct");
        var onBattery = Signals.Series(messages, "DC-UPS01", "on_battery");
        var voltage = Signals.Numbers(messages, "DC-UPS01", "input_voltage");
        var runtime = Signals.Numbers(messages, "DC-UPS01", "runtime_min");
        var during = battery.Where(x => x.At > T0.AddMinutes(2) && x.At < T0.AddMinutes(32)).ToList();
        Assert.True(during.Zip(during.Skip(1)).All(p => p.Second.Value < p.First.Value), "battery drains");
        Assert.True(during[^1].Value < 25);
        Assert.True(onBattery.Where(x => x.At > T0.AddMinutes(3) && x.At < T0.AddMinutes(32)).All(x => x.Value.AsBoolean()));
        Assert.True(voltage.Where(x => x.At > T0.AddMinutes(3) && x.At < T0.AddMinutes(32)).All(x => x.Value == 0));
        Assert.True(runtime.Where(x => x.At > T0.AddMinutes(20) && x.At < T0.AddMinutes(32)).All(x => x.Value < runtime[0].Value));
        var after = battery.Where(x => x.At > T0.AddMinutes(33)).ToList();
        Assert.True(after.Zip(after.Skip(1)).All(p => p.Second.Value >= p.First.Value), "battery recharges");
        Assert.False(onBattery[^1].Value.AsBoolean());
        Assert.Equal(4, Signals.Events(messages, "ups_on_battery").Count);
        Assert.Equal(4, Signals.Events(messages, "ups_on_mains").Count);
        Assert.Contains(Signals.Events(messages, "ups_battery_low"), e => e.Device.DeviceId == "DC-UPS01" && e.Severity == EventSeverity.Critical);
    }

    [Fact]
    public void BruteForce_AuthFailuresFromOneSourceAtTheAskedRate()
    {
        // Arrange
        var generator = TestFleets.Generator("brute-force@1m,device=HD-FW01,src_ip=198.51.100.9,rate=60,duration=5m");

        // Act
        var events = Signals.Events(generator.Until(T0.AddMinutes(8)), "auth_failure");

        // Assert
        Assert.Equal(300, events.Count);
        Assert.All(events, e =>
        {
            Assert.Equal("HD-FW01", e.Device.DeviceId);
            Assert.Equal("198.51.100.9", e.Attributes["src_ip"]);
            Assert.False(string.IsNullOrEmpty(e.Attributes["user"]));
            Assert.Equal(EventSeverity.Warning, e.Severity);
        });
        Assert.True(events.Select(e => e.Attributes["user"]).Distinct().Count() > 5);
        Assert.Equal(T0.AddMinutes(1), events[0].Timestamp);
        Assert.True(events[^1].Timestamp < T0.AddMinutes(6));
    }

    [Fact]
    public void RogueAp_DetectedAtStartAndEveryPeriod()
    {
        // Arrange
        var generator = TestFleets.Generator("rogue-ap@1m,duration=20m,every=5m");

        // Act
        var events = Signals.Events(generator.Until(T0.AddMinutes(30)), "rogue_ap");

        // Assert
        Assert.Equal(4, events.Count);
        Assert.Single(events.Select(e => e.Device.DeviceId).Distinct());
        Assert.StartsWith("TK-", events[0].Device.DeviceId, StringComparison.Ordinal);
        Assert.Single(events.Select(e => e.Attributes["bssid"]).Distinct());
        Assert.All(events, e => Assert.Equal("HaiDuong_Free_WiFi", e.Attributes["ssid"]));
        Assert.Equal(T0.AddMinutes(1), events[0].Timestamp);
    }

    [Fact]
    public void Ddos_EdgeThroughputAndPacketsSpikeWithIpsEvent()
    {
        // Arrange
        var generator = TestFleets.Generator("ddos@5m,duration=10m");

        // Act
        var messages = generator.Until(T0.AddMinutes(20)).ToList();

        // Assert
        var mbps = Signals.Numbers(messages, "CORE-FW-EDGE", "throughput_mbps");
        var pps = Signals.Numbers(messages, "CORE-FW-EDGE", "pps");
        var before = mbps.Where(x => x.At < T0.AddMinutes(5)).Average(x => x.Value);
        var peak = mbps.Where(x => x.At > T0.AddMinutes(7) && x.At < T0.AddMinutes(15)).Min(x => x.Value);
        var after = mbps.Where(x => x.At > T0.AddMinutes(16)).Average(x => x.Value);
        Assert.True(peak > before * 10, $"before {before}, during {peak}");
        Assert.True(after < before * 1.5);
        Assert.True(pps.Where(x => x.At > T0.AddMinutes(7) && x.At < T0.AddMinutes(15)).Min(x => x.Value) > pps.Where(x => x.At < T0.AddMinutes(5)).Average(x => x.Value) * 30);
        var ips = Assert.Single(Signals.Events(messages, "ddos_suspected"));
        Assert.Equal((EventSeverity.Critical, T0.AddMinutes(6)), (ips.Severity, ips.Timestamp));
    }

    [Fact]
    public void LinkFlap_InterfaceDownAndUpRepeatedly()
    {
        // Arrange
        var generator = TestFleets.Generator("link-flap@1m,device=NS-AGG-SW01,duration=5m");

        // Act
        var messages = generator.Until(T0.AddMinutes(8)).ToList();

        // Assert
        var downs = Signals.Events(messages, "link_down");
        var ups = Signals.Events(messages, "link_up");
        Assert.Equal(8, downs.Count);
        Assert.Equal(8, ups.Count);
        Assert.All(downs.Zip(ups), p => Assert.Equal(TimeSpan.FromSeconds(12), p.Second.Timestamp - p.First.Timestamp));
        Assert.All(downs, e => Assert.Equal("Te1/1/1", e.Attributes["interface"]));
        var ifUp = Signals.Series(messages, "NS-AGG-SW01", "if_up");
        Assert.Contains(ifUp, x => !x.Value.AsBoolean());
        Assert.True(ifUp.Where(x => x.At > T0.AddMinutes(6)).All(x => x.Value.AsBoolean()));
    }

    [Fact]
    public void DiskFill_UsedPercentRisesToFullThenIsCleared()
    {
        // Arrange
        var generator = TestFleets.Generator("disk-fill@1m,device=DC-A01-SRV01,rate=5,duration=25m");

        // Act
        var messages = generator.Until(T0.AddMinutes(45)).ToList();

        // Assert
        var used = Signals.Numbers(messages, "DC-A01-SRV01", "used_percent", "disk");
        var free = Signals.Numbers(messages, "DC-A01-SRV01", "free", "disk");
        var filling = used.Where(x => x.At > T0.AddMinutes(1) && x.At < T0.AddMinutes(26)).ToList();
        Assert.True(filling.Zip(filling.Skip(1)).All(p => p.Second.Value >= p.First.Value));
        Assert.Equal(100, filling[^1].Value);
        Assert.Equal(0, free.Where(x => x.At > T0.AddMinutes(25) && x.At < T0.AddMinutes(26)).Last().Value);
        Assert.True(used[^1].Value < 80);
        Assert.True(Signals.Numbers(messages, "DC-A01-SRV02", "used_percent", "disk").All(x => x.Value < 80));
    }

    [Fact]
    public void MalformedPayload_EveryCaseSentAndRefusedForItsReason()
    {
        // Arrange
        var generator = TestFleets.Generator("malformed-payload@10s,device=GL-C01-AP1,every=10s,duration=150s");

        // Act
        var malformed = generator.Until(T0.AddMinutes(4)).Where(m => m.Kind == SimMessageKind.Malformed).ToList();

        // Assert
        Assert.Equal(MalformedPayloadScenario.Cases.Count, malformed.Count);
        Assert.Equal(MalformedPayloadScenario.Cases.Select(c => c.Expected), malformed.Select(m => m.ExpectedRejection!.Value));
        Assert.All(malformed, m => Assert.Equal(m.ExpectedRejection, TestFleets.Decode(m).Rejection!.Reason));
        Assert.All(malformed, m => Assert.Contains("/GL-C01-AP1/", m.Topic, StringComparison.Ordinal));
    }

    [Fact]
    public void Scenarios_Combined_EachKeepsItsOwnSignals()
    {
        // Arrange
        var generator = TestFleets.Generator("brute-force@1m,rate=10,duration=2m", "rogue-ap@1m,duration=2m", "crac-failure@1m,duration=2m");

        // Act
        var messages = generator.Until(T0.AddMinutes(4)).ToList();

        // Assert
        Assert.Equal(20, Signals.Events(messages, "auth_failure").Count);
        Assert.Single(Signals.Events(messages, "rogue_ap"));
        Assert.Single(Signals.Events(messages, "compressor_fault"));
    }

    [Fact]
    public void Scenarios_EventsOfACutOffDevice_NotSent()
    {
        // Arrange: the flapping switch is in Nam Sách, whose fibre is cut from minute 3 to 6.
        var generator = TestFleets.Generator("link-flap@1m,device=NS-AGG-SW01,duration=8m", "district-fibre-cut@3m,district=nam-sach,duration=3m");

        // Act
        var downs = Signals.Events(generator.Until(T0.AddMinutes(10)), "link_down");

        // Assert
        Assert.NotEmpty(downs);
        Assert.DoesNotContain(downs, e => e.Timestamp >= T0.AddMinutes(3) && e.Timestamp < T0.AddMinutes(6));
        Assert.Contains(downs, e => e.Timestamp >= T0.AddMinutes(6));
    }

    private static string Id(SimMessage m) => m.Topic.Split('/')[4];
}
