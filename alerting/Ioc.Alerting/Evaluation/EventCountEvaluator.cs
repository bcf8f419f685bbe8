using Ioc.Contract.Alerts;
using Ioc.Alerting.Rules;
using Ioc.Contract;
using Ioc.Contract.Text;
using Ioc.Alerting.Text;

namespace Ioc.Alerting.Evaluation;

/// <summary>
/// <c>event_count</c>: at least <c>count</c> events of <c>eventType</c> (matching <c>where</c>) inside a sliding
/// <c>window</c>, per group (<c>groupBy</c>, e.g. <c>["src_ip"]</c>). Clears once fewer than <c>clearBelow</c> remain in the window.
/// </summary>
public sealed class EventCountEvaluator : RuleEvaluator
{
    private static readonly TimeSpan RepeatEvery = TimeSpan.FromMinutes(1);
    private readonly ConditionTracker _tracker;
    private readonly Dictionary<Subject, Group> _groups = new(Subject.KeyComparer);

    public EventCountEvaluator(AlertRule rule)
        : base(rule)
    {
        Summary = rule.Summary ?? DefaultSummaries.EventCount(rule.EventType);
        _tracker = new ConditionTracker(rule, (_, _) => Summary);
    }

    private LocalizedText Summary { get; }

    public override int TrackedSubjects => _groups.Count;

    public override bool Wants(MessageChannel channel) => channel == MessageChannel.Event;

    public override void OnMessage(in MessageContext context, List<AlertSignal> output)
    {
        if (context.Message.Event is not { } deviceEvent || deviceEvent.Type != Rule.EventType)
        {
            return;
        }

        foreach (var (key, expected) in Rule.EventWhere)
        {
            if (!deviceEvent.Attributes.TryGetValue(key, out var actual) || actual != expected)
            {
                return;
            }
        }

        var subject = SubjectFor(context, deviceEvent.Attributes);
        if (subject is null)
        {
            return;
        }

        if (!_groups.TryGetValue(subject, out var group))
        {
            group = new Group(subject);
            _groups[subject] = group;
        }

        group.Times.Enqueue(context.Now);
        var wasFiring = _tracker.IsFiring(subject);
        Evaluate(group, context.Now, output);

        // More of the same while the alert is open: a repeat (its counter grows), at most once a minute per group.
        if (wasFiring && _tracker.IsFiring(subject) && context.Now - group.LastRepeat >= RepeatEvery)
        {
            group.LastRepeat = context.Now;
            output.Add(new AlertSignal(Rule, group.Subject, true, group.Times.Count, Summary, context.Now));
        }
    }

    public override void OnTick(DateTimeOffset now, List<AlertSignal> output)
    {
        List<Subject>? empty = null;
        foreach (var (key, group) in _groups)
        {
            Evaluate(group, now, output);
            if (group.Times.Count == 0 && !_tracker.IsFiring(key))
            {
                (empty ??= []).Add(key);
            }
        }

        foreach (var key in empty ?? [])
        {
            _groups.Remove(key);
        }

        _tracker.Tick(now, output);
    }

    public override void Restore(Alert openAlert)
    {
        var subject = Subject.FromAlert(openAlert);
        _tracker.Restore(subject, openAlert.Value);
        _groups[subject] = new Group(subject);
    }

    private void Evaluate(Group group, DateTimeOffset now, List<AlertSignal> output)
    {
        if (!_tracker.IsFiring(group.Subject))
        {
            group.LastRepeat = now;
        }

        while (group.Times.Count > 0 && now - group.Times.Peek() >= Rule.Window)
        {
            group.Times.Dequeue();
        }

        var count = group.Times.Count;
        _tracker.Observe(group.Subject, count >= Rule.Count, count < Rule.ClearBelow, count, now, output);
    }

    private sealed class Group(Subject subject)
    {
        public Subject Subject { get; } = subject;

        public Queue<DateTimeOffset> Times { get; } = new();

        public DateTimeOffset LastRepeat { get; set; } = DateTimeOffset.MinValue;
    }
}
