using Ioc.Contract.Alerts;
using Ioc.Alerting.Rules;
using Ioc.Contract;
using Ioc.Alerting.Text;

namespace Ioc.Alerting.Evaluation;

/// <summary><c>threshold</c>: fires when a metric stays beyond <c>value</c> for <c>for</c>; clears at <c>clear</c> (hysteresis).</summary>
public sealed class ThresholdEvaluator : RuleEvaluator
{
    private readonly ConditionTracker _tracker;
    private readonly Comparison _comparison;
    private readonly string _metric;

    public ThresholdEvaluator(AlertRule rule)
        : base(rule)
    {
        _comparison = rule.Comparison!;
        _metric = rule.Metric!;
        _tracker = new ConditionTracker(rule, (_, _) => rule.Summary ?? DefaultSummaries.Threshold);
    }

    public override int TrackedSubjects => _tracker.Count;

    public override bool Wants(MessageChannel channel) => channel == MessageChannel.Telemetry;

    public override void OnMessage(in MessageContext context, List<AlertSignal> output)
    {
        foreach (var point in context.Message.Points)
        {
            if (!TryMatch(context, point, _metric, numeric: true, out var field, out var subject))
            {
                continue;
            }

            var value = field.AsDouble();
            _tracker.Observe(subject, _comparison.IsViolated(value), _comparison.IsCleared(value), value, context.Now, output);
        }
    }

    public override void OnTick(DateTimeOffset now, List<AlertSignal> output) => _tracker.Tick(now, output);

    public override void Restore(Alert openAlert) => _tracker.Restore(Subject.FromAlert(openAlert), openAlert.Value);
}
