using Ioc.Contract.Alerts;
using Ioc.Alerting.Rules;
using Ioc.Contract;
using Ioc.Alerting.Text;

namespace Ioc.Alerting.Evaluation;

/// <summary><c>state</c>: fires while a metric equals one of <c>equals</c> (e.g. <c>power_source = "battery"</c>).</summary>
public sealed class StateMatchEvaluator : RuleEvaluator
{
    private readonly ConditionTracker _tracker;
    private readonly HashSet<string> _values;
    private readonly string _metric;

    public StateMatchEvaluator(AlertRule rule)
        : base(rule)
    {
        _metric = rule.Metric!;
        _values = rule.StateValues.ToHashSet(StringComparer.Ordinal);
        var summary = rule.Summary ?? DefaultSummaries.State(rule.StateValues);
        _tracker = new ConditionTracker(rule, (_, _) => summary);
    }

    public override int TrackedSubjects => _tracker.Count;

    public override bool Wants(MessageChannel channel) => channel == MessageChannel.Telemetry;

    public override void OnMessage(in MessageContext context, List<AlertSignal> output)
    {
        foreach (var point in context.Message.Points)
        {
            if (!TryMatch(context, point, _metric, numeric: false, out var field, out var subject))
            {
                continue;
            }

            var matches = _values.Contains(field.ToString());
            _tracker.Observe(subject, matches, !matches, field.IsNumeric ? field.AsDouble() : null, context.Now, output);
        }
    }

    public override void OnTick(DateTimeOffset now, List<AlertSignal> output) => _tracker.Tick(now, output);

    public override void Restore(Alert openAlert) => _tracker.Restore(Subject.FromAlert(openAlert), openAlert.Value);
}
