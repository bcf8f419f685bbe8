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
    private readonly Dictionary<DeviceAddress, DeviceEntry> _devices = [];
    private readonly TimeSpan? _silence;

    public OfflineEvaluator(AlertRule rule)
        : base(rule)
    {
        _silence = rule.ExpectedInterval * rule.MissedIntervals;
    }

    public override int TrackedSubjects => _devices.Count;

    public override bool Wants(MessageChannel channel) => true;

    public override void OnMessage(in MessageContext context, List<AlertSignal> output)
    {
        if (!_devices.TryGetValue(context.Device, out var entry))
        {
            entry = new DeviceEntry(context.DeviceSubject);
            _devices[context.Device] = entry;
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
                output.Add(Signal(entry, true, context.Now, DefaultSummaries.OfflineLastWill));
            }

            return;
        }

        if (entry.Firing)
        {
            entry.Firing = false;
            output.Add(Signal(entry, false, context.Now, DefaultSummaries.BackOnline));
        }
    }

    public override void OnTick(DateTimeOffset now, List<AlertSignal> output)
    {
        if (_silence is not { } silence)
        {
            return;
        }

        foreach (var entry in _devices.Values)
        {
            if (!entry.Firing && now - entry.LastSeen >= silence)
            {
                entry.Firing = true;
                output.Add(Signal(entry, true, now, DefaultSummaries.NoData(now - entry.LastSeen)));
            }
        }
    }

    /// <summary>Makes a device known before it speaks (from the device registry at start-up), so its silence is noticed.</summary>
    public void Seed(DeviceAddress device, string? district, DateTimeOffset lastSeen)
    {
        if (!Rule.Scope.MatchesDevice(device, district) || _devices.ContainsKey(device))
        {
            return;
        }

        _devices[device] = new DeviceEntry(Subject.ForDevice(device, district)) { LastSeen = lastSeen };
    }

    public override void Restore(Alert openAlert)
    {
        if (openAlert.Site is null || openAlert.DeviceType is null || openAlert.DeviceId is null)
        {
            return;
        }

        var device = new DeviceAddress(openAlert.Site, openAlert.DeviceType, openAlert.DeviceId);
        if (!_devices.TryGetValue(device, out var entry))
        {
            entry = new DeviceEntry(Subject.FromAlert(openAlert)) { LastSeen = openAlert.LastFiredAt };
            _devices[device] = entry;
        }

        entry.Firing = true;
    }

    private AlertSignal Signal(DeviceEntry entry, bool firing, DateTimeOffset now, LocalizedText fallback) =>
        new(Rule, entry.Subject, firing, null, firing ? Rule.Summary ?? fallback : fallback, now);

    private sealed class DeviceEntry(Subject subject)
    {
        public Subject Subject { get; set; } = subject;

        public DateTimeOffset LastSeen { get; set; }

        public bool Firing { get; set; }
    }
}
