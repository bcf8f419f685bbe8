using Ioc.Contract.Alerts;
using Ioc.Alerting.Rules;
using Ioc.Contract;
using Ioc.Alerting.Text;

namespace Ioc.Alerting.Evaluation;

/// <summary>Counts the devices of a district or site, for composite rules.</summary>
public interface IDeviceCounter
{
    int CountDevices(GroupLevel level, string group, RuleScope scope);
}

/// <summary>
/// <c>composite</c>: a district (or site) is down when at least <c>ratio</c> of its known devices (and at least
/// <c>minDevices</c>) have an open alert of rule <c>of</c>. One alert for the group; the device alerts become its children.
/// Clears when the share falls below <c>clearRatio</c>.
/// </summary>
public sealed class CompositeEvaluator : RuleEvaluator
{
    private readonly IDeviceCounter _counter;
    private readonly ConditionTracker _tracker;
    private readonly Dictionary<string, HashSet<string>> _down = new(StringComparer.Ordinal);
    private readonly HashSet<string> _touched = new(StringComparer.Ordinal);

    public CompositeEvaluator(AlertRule rule, IDeviceCounter counter)
        : base(rule)
    {
        _counter = counter;
        _tracker = new ConditionTracker(rule, (_, _) => rule.Summary ?? DefaultSummaries.Composite);
    }

    public string ChildRuleId => Rule.ChildRuleId!;

    public override int TrackedSubjects => _down.Count;

    public override bool Wants(MessageChannel channel) => false;

    public override void OnMessage(in MessageContext context, List<AlertSignal> output)
    {
    }

    /// <summary>The group (district or site name) a child alert counts towards, if any.</summary>
    public string? GroupOf(Alert child) => Rule.GroupLevel == GroupLevel.District ? child.District : child.Site;

    public void ChildChanged(Alert child)
    {
        if (GroupOf(child) is not { } group)
        {
            return;
        }

        if (!_down.TryGetValue(group, out var keys))
        {
            keys = new HashSet<string>(StringComparer.Ordinal);
            _down[group] = keys;
        }

        var changed = child.IsOpen ? keys.Add(child.SubjectKey) : keys.Remove(child.SubjectKey);
        if (changed)
        {
            _touched.Add(group);
        }
    }

    /// <summary>Re-evaluates the groups whose children changed since the last call.</summary>
    public void EvaluateTouched(DateTimeOffset now, List<AlertSignal> output)
    {
        foreach (var group in _touched)
        {
            Evaluate(group, now, output);
        }

        _touched.Clear();
    }

    /// <summary>Replaces the children with the open alerts of the child rule (the store is the truth: the dashboard may resolve by hand).</summary>
    public void SyncChildren(IEnumerable<Alert> openAlerts)
    {
        var fresh = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var alert in openAlerts)
        {
            if (alert.RuleId == ChildRuleId && GroupOf(alert) is { } group)
            {
                if (!fresh.TryGetValue(group, out var keys))
                {
                    keys = new HashSet<string>(StringComparer.Ordinal);
                    fresh[group] = keys;
                }

                keys.Add(alert.SubjectKey);
            }
        }

        foreach (var group in _down.Keys.Where(g => !fresh.ContainsKey(g)).ToList())
        {
            _down[group].Clear();
        }

        foreach (var (group, keys) in fresh)
        {
            _down[group] = keys;
        }
    }

    public override void OnTick(DateTimeOffset now, List<AlertSignal> output)
    {
        foreach (var group in _down.Keys)
        {
            Evaluate(group, now, output);
        }

        _touched.Clear();
    }

    public override void Restore(Alert openAlert) => _tracker.Restore(Subject.FromAlert(openAlert), openAlert.Value);

    private void Evaluate(string group, DateTimeOffset now, List<AlertSignal> output)
    {
        var down = _down.TryGetValue(group, out var keys) ? keys.Count : 0;
        var total = Math.Max(_counter.CountDevices(Rule.GroupLevel, group, Rule.Scope), down);
        var share = total == 0 ? 0 : (double)down / total;
        var subject = Subject.ForGroup(Rule.GroupLevel, group);
        _tracker.Observe(subject, down >= Rule.MinDevices && share >= Rule.Ratio, share < Rule.ClearRatio, down, now, output);
    }
}
