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

    /// <summary>Entries changed since last taken, each once (its <see cref="Entry.Dirty"/> flag): no set node per device.</summary>
    private readonly Queue<Entry> _dirty = [];
    private int _dirtyPeak;

    public int Count => _devices.Count;

    /// <summary>Records a message; returns the device's subject (with its district). A health change is appended to <paramref name="changes"/>.</summary>
    public Subject Observe(DecodedMessage message, DateTimeOffset now, List<DeviceHealth> changes)
    {
        var device = message.Device;
        if (!_devices.TryGetValue(device, out var entry))
        {
            entry = new Entry(Subject.ForDevice(device, rules.DistrictOf(device, TagDistrict(message))))
            {
                Since = now,
                Health = HealthState.Online,
                PersistedSeen = DateTimeOffset.MinValue,
                LastSeen = now,
            };
            _devices[device] = entry;
            MarkDirty(entry);
            changes.Add(ToHealth(entry));
        }
        else if (message.Channel == MessageChannel.Telemetry && !rules.SiteDistricts.ContainsKey(device.Site)
            && TagDistrict(message) is { } tagged && tagged != entry.District)
        {
            entry.Subject = Subject.ForDevice(entry.Device, tagged);
            MarkDirty(entry);
        }

        entry.LastSeen = now;
        var health = message.Status is { State: DeviceState.Offline } ? HealthState.Offline : HealthState.Online;
        if (health != entry.Health)
        {
            entry.Health = health;
            entry.Since = now;
            MarkDirty(entry);
            changes.Add(ToHealth(entry));
        }
        else if (now - entry.PersistedSeen >= PersistEvery)
        {
            MarkDirty(entry);
        }

        return entry.Subject;
    }

    /// <summary>Devices that stopped talking become <c>silent</c>.</summary>
    public void Tick(DateTimeOffset now, List<DeviceHealth> changes)
    {
        foreach (var entry in _devices.Values)
        {
            if (entry.Health == HealthState.Online && now - entry.LastSeen >= silentAfter)
            {
                entry.Health = HealthState.Silent;
                entry.Since = now;
                MarkDirty(entry);
                changes.Add(ToHealth(entry));
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
            var district = rules.SiteDistricts.TryGetValue(device.Site, out var mapped) ? mapped : device.District ?? rules.DistrictOf(address, null);
            _devices[address] = new Entry(Subject.ForDevice(address, district))
            {
                Health = device.State == HealthState.Silent ? HealthState.Online : device.State,
                Since = device.Since,
                LastSeen = lastSeen > startedAt ? lastSeen : startedAt,
                PersistedSeen = lastSeen,
            };
        }
    }

    public IEnumerable<(DeviceAddress Device, string? District, DateTimeOffset LastSeen)> Devices =>
        _devices.Select(d => (d.Key, d.Value.District, d.Value.LastSeen));

    public DeviceHealth? Get(DeviceAddress device) => _devices.TryGetValue(device, out var entry) ? ToHealth(entry) : null;

    public string? DistrictOf(DeviceAddress device) => _devices.TryGetValue(device, out var entry) ? entry.District : null;

    public int DirtyCount => _dirty.Count;

    /// <summary>Gives back the table's slack (capacities double while a burst grows it). The owner's thread only.</summary>
    public void TrimExcess() => _devices.TrimExcess();

    /// <summary>Slots the device table holds (tests).</summary>
    internal int Capacity => _devices.Capacity;

    /// <summary>Up to <paramref name="max"/> devices changed since they were last taken, to persist.</summary>
    public IReadOnlyCollection<DeviceHealth> TakeDirty(DateTimeOffset now, int max = int.MaxValue)
    {
        if (_dirty.Count == 0)
        {
            return [];
        }

        var list = new List<DeviceHealth>(Math.Min(_dirty.Count, max));
        while (list.Count < max && _dirty.TryDequeue(out var entry))
        {
            entry.Dirty = false;
            entry.PersistedSeen = now;
            list.Add(ToHealth(entry));
        }

        if (_dirty.Count == 0 && _dirtyPeak > 1024)
        {
            _dirty.TrimExcess(); // a burst of new devices does not keep a slot per device
            _dirtyPeak = 0;
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

    private static DeviceHealth ToHealth(Entry entry) =>
        new(entry.Subject.Site!, entry.Subject.DeviceType!, entry.Subject.DeviceId!, entry.District, entry.Health, entry.LastSeen, entry.Since);

    private void MarkDirty(Entry entry)
    {
        if (!entry.Dirty)
        {
            entry.Dirty = true;
            _dirty.Enqueue(entry);
            _dirtyPeak = Math.Max(_dirtyPeak, _dirty.Count);
        }
    }

    /// <summary>A device's state. Its subject holds its address (the same strings as the dictionary key) and district.</summary>
    private sealed class Entry(Subject subject)
    {
        // Times as UTC ticks: 8 bytes each instead of a 16-byte DateTimeOffset (the engine's clock is UTC).
        private long _since;
        private long _lastSeen;
        private long _persistedSeen;

        public Subject Subject { get; set; } = subject;

        public DeviceAddress Device => new(Subject.Site!, Subject.DeviceType!, Subject.DeviceId!);

        public string? District => Subject.District;

        public bool Dirty { get; set; }

        public HealthState Health { get; set; }

        public DateTimeOffset Since { get => Utc(_since); set => _since = value.UtcTicks; }

        public DateTimeOffset LastSeen { get => Utc(_lastSeen); set => _lastSeen = value.UtcTicks; }

        public DateTimeOffset PersistedSeen { get => Utc(_persistedSeen); set => _persistedSeen = value.UtcTicks; }

        private static DateTimeOffset Utc(long ticks) => new(ticks, TimeSpan.Zero);
    }
}
