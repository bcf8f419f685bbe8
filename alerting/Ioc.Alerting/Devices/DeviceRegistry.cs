using Ioc.Alerting.Evaluation;
using Ioc.Contract.Alerts;
using Ioc.Alerting.Rules;
using Ioc.Contract;
using Ioc.Contract.Model;

namespace Ioc.Alerting.Devices;

/// <summary>
/// Every device the engine has heard from: its district, when it last spoke and its health (online, offline by last
/// will, silent). Owned by the evaluation loop (not thread-safe); persisted in batches so a restart keeps the fleet.
/// </summary>
public sealed class DeviceRegistry(RuleSet rules, TimeSpan silentAfter) : IDeviceCounter
{
    /// <summary>last_seen is written back at most this often per device (health changes are written at once).</summary>
    private static readonly TimeSpan PersistEvery = TimeSpan.FromSeconds(30);

    private const string DistrictTag = "district";
    private readonly Dictionary<DeviceAddress, Entry> _devices = [];
    private readonly HashSet<DeviceAddress> _dirty = [];

    public int Count => _devices.Count;

    /// <summary>Records a message; returns the device's subject (with its district). A health change is appended to <paramref name="changes"/>.</summary>
    public Subject Observe(DecodedMessage message, DateTimeOffset now, List<DeviceHealth> changes)
    {
        var device = message.Device;
        if (!_devices.TryGetValue(device, out var entry))
        {
            entry = new Entry { Since = now, Health = HealthState.Online, PersistedSeen = DateTimeOffset.MinValue };
            _devices[device] = entry;
            _dirty.Add(device);
            entry.District = rules.DistrictOf(device, TagDistrict(message));
            entry.LastSeen = now;
            changes.Add(ToHealth(device, entry));
        }
        else if (message.Channel == MessageChannel.Telemetry && !rules.SiteDistricts.ContainsKey(device.Site)
            && TagDistrict(message) is { } tagged && tagged != entry.District)
        {
            entry.District = tagged;
            _dirty.Add(device);
        }

        entry.LastSeen = now;
        var health = message.Status is { State: DeviceState.Offline } ? HealthState.Offline : HealthState.Online;
        if (health != entry.Health)
        {
            entry.Health = health;
            entry.Since = now;
            _dirty.Add(device);
            changes.Add(ToHealth(device, entry));
        }
        else if (now - entry.PersistedSeen >= PersistEvery)
        {
            _dirty.Add(device);
        }

        if (entry.Subject is null || entry.Subject.District != entry.District)
        {
            entry.Subject = Subject.ForDevice(device, entry.District);
        }

        return entry.Subject;
    }

    /// <summary>Devices that stopped talking become <c>silent</c>.</summary>
    public void Tick(DateTimeOffset now, List<DeviceHealth> changes)
    {
        foreach (var (device, entry) in _devices)
        {
            if (entry.Health == HealthState.Online && now - entry.LastSeen >= silentAfter)
            {
                entry.Health = HealthState.Silent;
                entry.Since = now;
                _dirty.Add(device);
                changes.Add(ToHealth(device, entry));
            }
        }
    }

    /// <summary>Restores the fleet from the store. Silence is counted from <paramref name="startedAt"/> at the earliest, so a restart does not make every device look silent.</summary>
    public void Load(IEnumerable<DeviceHealth> devices, DateTimeOffset startedAt)
    {
        foreach (var device in devices)
        {
            var address = new DeviceAddress(device.Site, device.DeviceType, device.DeviceId);
            var lastSeen = device.LastSeen ?? device.Since;
            _devices[address] = new Entry
            {
                District = rules.SiteDistricts.TryGetValue(device.Site, out var mapped) ? mapped : device.District ?? rules.DistrictOf(address, null),
                Health = device.State == HealthState.Silent ? HealthState.Online : device.State,
                Since = device.Since,
                LastSeen = lastSeen > startedAt ? lastSeen : startedAt,
                PersistedSeen = lastSeen,
            };
        }
    }

    public IEnumerable<(DeviceAddress Device, string? District, DateTimeOffset LastSeen)> Devices =>
        _devices.Select(d => (d.Key, d.Value.District, d.Value.LastSeen));

    public DeviceHealth? Get(DeviceAddress device) => _devices.TryGetValue(device, out var entry) ? ToHealth(device, entry) : null;

    public string? DistrictOf(DeviceAddress device) => _devices.TryGetValue(device, out var entry) ? entry.District : null;

    public int DirtyCount => _dirty.Count;

    /// <summary>Up to <paramref name="max"/> devices changed since they were last taken, to persist.</summary>
    public IReadOnlyCollection<DeviceHealth> TakeDirty(DateTimeOffset now, int max = int.MaxValue)
    {
        if (_dirty.Count == 0)
        {
            return [];
        }

        var list = new List<DeviceHealth>(Math.Min(_dirty.Count, max));
        foreach (var device in _dirty)
        {
            if (list.Count >= max)
            {
                break;
            }

            var entry = _devices[device];
            entry.PersistedSeen = now;
            list.Add(ToHealth(device, entry));
        }

        foreach (var health in list)
        {
            _dirty.Remove(new DeviceAddress(health.Site, health.DeviceType, health.DeviceId));
        }

        return list;
    }

    public int CountDevices(GroupLevel level, string group, RuleScope scope)
    {
        var count = 0;
        foreach (var (device, entry) in _devices)
        {
            var inGroup = level == GroupLevel.District ? entry.District == group : device.Site == group;
            if (inGroup && scope.MatchesDevice(device, entry.District))
            {
                count++;
            }
        }

        return count;
    }

    private static string? TagDistrict(DecodedMessage message)
    {
        foreach (var point in message.Points)
        {
            if (point.GetTag(DistrictTag) is { } district && Names.IsSlug(district))
            {
                return district;
            }
        }

        return null;
    }

    private static DeviceHealth ToHealth(DeviceAddress device, Entry entry) =>
        new(device.Site, device.DeviceType, device.DeviceId, entry.District, entry.Health, entry.LastSeen, entry.Since);

    private sealed class Entry
    {
        public string? District { get; set; }

        public HealthState Health { get; set; }

        public DateTimeOffset Since { get; set; }

        public DateTimeOffset LastSeen { get; set; }

        public DateTimeOffset PersistedSeen { get; set; }

        public Subject? Subject { get; set; }
    }
}
