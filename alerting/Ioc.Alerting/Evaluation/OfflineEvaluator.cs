using System.Runtime.InteropServices;
using Ioc.Contract.Alerts;
using Ioc.Alerting.Rules;
using Ioc.Contract;
using Ioc.Contract.Model;
using Ioc.Contract.Text;
using Ioc.Alerting.Text;

namespace Ioc.Alerting.Evaluation;

/// <summary>
/// <c>offline</c>: a device is down when it publishes <c>status: offline</c> (its MQTT last will) or, with <c>interval</c>,
/// when nothing arrives from it for <c>missed</c> × <c>interval</c>. Any later message from the device clears it.
/// </summary>
public sealed class OfflineEvaluator : RuleEvaluator
{
    /// <summary>Per device a struct in the dictionary's own entry (no object per device).</summary>
    private readonly Dictionary<DeviceAddress, DeviceEntry> _devices = [];
    private readonly TimeSpan? _silence;

    public OfflineEvaluator(AlertRule rule)
        : base(rule)
    {
        _silence = rule.ExpectedInterval * rule.MissedIntervals;
    }

    public override int TrackedSubjects => _devices.Count;

    public override void TrimExcess() => _devices.TrimExcess();

    /// <summary>Slots the device table holds (tests).</summary>
    internal int Capacity => _devices.Capacity;

    public override bool Wants(MessageChannel channel) => true;

    public override void OnMessage(in MessageContext context, List<AlertSignal> output)
    {
        ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_devices, context.Device, out var known);
        if (!known)
        {
            entry.Subject = context.DeviceSubject;
        }
        else if (!ReferenceEquals(entry.Subject, context.DeviceSubject) && context.District is not null)
        {
            entry.Subject = context.DeviceSubject;
        }

        entry.LastSeen = context.Now;
        var wentOffline = context.Message.Status is { State: DeviceState.Offline };
        if (wentOffline)
        {
            if (Rule.OnStatusOffline && !entry.Firing)
            {
                entry.Firing = true;
                output.Add(Signal(entry.Subject, true, context.Now, DefaultSummaries.OfflineLastWill));
            }

            return;
        }

        if (entry.Firing)
        {
            entry.Firing = false;
            output.Add(Signal(entry.Subject, false, context.Now, DefaultSummaries.BackOnline));
        }
    }

    public override void OnTick(DateTimeOffset now, List<AlertSignal> output)
    {
        if (_silence is not { } silence)
        {
            return;
        }

        List<DeviceAddress>? silent = null;
        foreach (var (device, entry) in _devices)
        {
            if (!entry.Firing && now - entry.LastSeen >= silence)
            {
                (silent ??= []).Add(device);
                output.Add(Signal(entry.Subject, true, now, DefaultSummaries.NoData(now - entry.LastSeen)));
            }
        }

        foreach (var device in silent ?? [])
        {
            CollectionsMarshal.GetValueRefOrNullRef(_devices, device).Firing = true;
        }
    }

    /// <summary>Makes a device known before it speaks (from the device registry at start-up), so its silence is noticed.</summary>
    public void Seed(DeviceAddress device, string? district, DateTimeOffset lastSeen)
    {
        if (!Rule.Scope.MatchesDevice(device, district) || _devices.ContainsKey(device))
        {
            return;
        }

        _devices[device] = new DeviceEntry { Subject = Subject.ForDevice(device, district), LastSeen = lastSeen };
    }

    public override void Restore(Alert openAlert)
    {
        if (openAlert.Site is null || openAlert.DeviceType is null || openAlert.DeviceId is null)
        {
            return;
        }

        var device = new DeviceAddress(openAlert.Site, openAlert.DeviceType, openAlert.DeviceId);
        ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_devices, device, out var known);
        if (!known)
        {
            entry.Subject = Subject.FromAlert(openAlert);
            entry.LastSeen = openAlert.LastFiredAt;
        }

        entry.Firing = true;
    }

    private AlertSignal Signal(Subject subject, bool firing, DateTimeOffset now, LocalizedText fallback) =>
        new(Rule, subject, firing, null, firing ? Rule.Summary ?? fallback : fallback, now);

    private struct DeviceEntry
    {
        private long _lastSeenUtcTicks;

        public Subject Subject { get; set; }

        /// <summary>Kept as UTC ticks (8 bytes, not a 16-byte <see cref="DateTimeOffset"/>): only differences are taken.</summary>
        public DateTimeOffset LastSeen
        {
            readonly get => new(_lastSeenUtcTicks, TimeSpan.Zero);
            set => _lastSeenUtcTicks = value.UtcTicks;
        }

        public bool Firing { get; set; }
    }
}
