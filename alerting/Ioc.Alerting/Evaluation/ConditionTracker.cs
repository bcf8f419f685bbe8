using Ioc.Contract.Alerts;
using Ioc.Alerting.Rules;
using Ioc.Contract.Text;

namespace Ioc.Alerting.Evaluation;

/// <summary>
/// The per-subject state machine every rule kind shares: normal → pending (condition true, waiting out <c>for</c>) →
/// firing → normal when the clear condition holds. Emits a signal only on the transitions into and out of firing.
/// </summary>
internal sealed class ConditionTracker(AlertRule rule, Func<Subject, double?, LocalizedText> summary)
{
    private readonly Dictionary<Subject, Entry> _entries = new(Subject.KeyComparer);

    public int Count => _entries.Count;

    public bool IsFiring(Subject subject) => _entries.TryGetValue(subject, out var e) && e.Phase == Phase.Firing;

    public void Observe(Subject subject, bool violated, bool cleared, double? value, DateTimeOffset now, List<AlertSignal> output)
    {
        if (!_entries.TryGetValue(subject, out var entry))
        {
            if (!violated)
            {
                return;
            }

            entry = new Entry(subject);
            _entries[subject] = entry;
        }

        entry.LastValue = value;
        switch (entry.Phase)
        {
            case Phase.Normal when violated:
                entry.Phase = Phase.Pending;
                entry.Since = now;
                TryFire(entry, now, output);
                break;
            case Phase.Pending when !violated:
                _entries.Remove(subject);
                break;
            case Phase.Pending:
                TryFire(entry, now, output);
                break;
            case Phase.Firing when cleared:
                _entries.Remove(subject);
                output.Add(new AlertSignal(rule, entry.Subject, false, value, summary(entry.Subject, value), now));
                break;
        }
    }

    /// <summary>Fires pending subjects whose <c>for</c> has elapsed without a contrary observation.</summary>
    public void Tick(DateTimeOffset now, List<AlertSignal> output)
    {
        if (rule.For <= TimeSpan.Zero)
        {
            return;
        }

        foreach (var entry in _entries.Values)
        {
            if (entry.Phase == Phase.Pending)
            {
                TryFire(entry, now, output);
            }
        }
    }

    /// <summary>Marks a subject firing without a signal: its alert is already open (after a restart).</summary>
    public void Restore(Subject subject, double? value)
    {
        _entries[subject] = new Entry(subject) { Phase = Phase.Firing, LastValue = value };
    }

    public IEnumerable<Subject> Firing() => _entries.Values.Where(e => e.Phase == Phase.Firing).Select(e => e.Subject);

    private void TryFire(Entry entry, DateTimeOffset now, List<AlertSignal> output)
    {
        if (now - entry.Since < rule.For)
        {
            return;
        }

        entry.Phase = Phase.Firing;
        output.Add(new AlertSignal(rule, entry.Subject, true, entry.LastValue, summary(entry.Subject, entry.LastValue), now));
    }

    private enum Phase
    {
        Normal,
        Pending,
        Firing,
    }

    private sealed class Entry(Subject subject)
    {
        public Subject Subject { get; } = subject;

        public Phase Phase { get; set; } = Phase.Normal;

        public DateTimeOffset Since { get; set; }

        public double? LastValue { get; set; }
    }
}
