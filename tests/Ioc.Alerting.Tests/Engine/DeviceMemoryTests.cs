using Ioc.Alerting.Devices;
using Ioc.Alerting.Evaluation;
using Ioc.Alerting.Rules;
using Ioc.Alerting.Tests.Shared;
using Ioc.Contract;
using Ioc.Contract.Alerts;

namespace Ioc.Alerting.Tests.Engine;

/// <summary>What the engine keeps per device (issue 11: 100,000 devices in 200 MB).</summary>
public sealed class DeviceMemoryTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Observe_NewDevices_AllocatesNoStringOrLabelDictionaryPerDevice()
    {
        const int devices = 20_000;
        var registry = new DeviceRegistry(new RuleSet([], new Dictionary<string, string>(), "test"), TimeSpan.FromMinutes(5));
        var messages = Enumerable.Range(0, devices)
            .Select(i => TestMessages.Telemetry(new DeviceAddress("thanh-ha-an-son", "wifi-ap", $"TH-C03-AP{i:D5}"), """{"clients": 1}""", Now))
            .ToArray();
        var changes = new List<DeviceHealth>();
        registry.Observe(TestMessages.Telemetry(new DeviceAddress("core", "ups", "warm-up"), """{"load_pct": 1}""", Now), Now, changes);
        registry.TakeDirty(Now);
        changes.Clear();

        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var message in messages)
        {
            registry.Observe(message, Now, changes);
            changes.Clear();
        }

        var perDevice = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)devices;
        Assert.Equal(devices, registry.TakeDirty(Now).Count);
        Assert.Equal(0, registry.DirtyCount);

        // Before: an entry, a subject with its key and display strings and an empty label dictionary, a dirty-set node,
        // the health record: 1,000 bytes per device here (468 now). Now: an entry, a subject of references, the health record.
        Assert.True(perDevice < 600, $"{perDevice:F0} bytes per new device");
    }

    [Fact]
    public void DeviceSubject_BuildsKeyAndDisplay_SharesEmptyLabels_AndMeetsTheSubjectRestoredFromItsAlert()
    {
        var device = new DeviceAddress("thanh-ha-an-son", "wifi-ap", "TH-C03-AP2");
        var subject = Subject.ForDevice(device, "thanh-ha");
        var restored = Subject.FromAlert(new Alert
        {
            Id = 1,
            RuleId = "r",
            RuleName = "r",
            Kind = "offline",
            Severity = AlertSeverity.Warning,
            State = AlertState.Firing,
            Summary = "s",
            FiredAt = Now,
            LastFiredAt = Now,
            SubjectKey = "device=thanh-ha-an-son/wifi-ap/TH-C03-AP2",
            Subject = "thanh-ha-an-son/wifi-ap/TH-C03-AP2",
            Site = device.Site,
            DeviceType = device.DeviceType,
            DeviceId = device.DeviceId,
        });

        Assert.Equal("device=thanh-ha-an-son/wifi-ap/TH-C03-AP2", subject.Key);
        Assert.Equal("thanh-ha-an-son/wifi-ap/TH-C03-AP2", subject.Display);
        Assert.Same(subject.Labels, Subject.ForDevice(new DeviceAddress("core", "ups", "U1"), null).Labels);
        Assert.Empty(subject.Labels);
        Assert.True(Subject.KeyComparer.Equals(subject, restored));
        Assert.True(Subject.KeyComparer.Equals(restored, subject));
        Assert.Equal(Subject.KeyComparer.GetHashCode(restored), Subject.KeyComparer.GetHashCode(subject));
        Assert.True(Subject.KeyComparer.Equals(subject, Subject.ForDevice(device, "other-district")));
        Assert.False(Subject.KeyComparer.Equals(subject, Subject.ForDevice(device with { DeviceId = "TH-C03-AP3" }, "thanh-ha")));
        Assert.False(Subject.KeyComparer.Equals(subject, Subject.ForGroup(GroupLevel.Site, "thanh-ha-an-son")));

        var state = new Dictionary<Subject, int>(Subject.KeyComparer) { [restored] = 1 };
        var before = GC.GetAllocatedBytesForCurrentThread();
        var found = state.TryGetValue(subject, out var value);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(found);
        Assert.Equal(1, value);
    }
}
