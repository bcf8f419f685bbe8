using Ioc.Alerting.Rules;

namespace Ioc.Alerting.Evaluation;

public static class EvaluatorFactory
{
    public static RuleEvaluator Create(AlertRule rule, IDeviceCounter devices) => rule.Kind switch
    {
        RuleKind.Threshold => new ThresholdEvaluator(rule),
        RuleKind.Offline => new OfflineEvaluator(rule),
        RuleKind.Rate => new RateEvaluator(rule),
        RuleKind.EventCount => new EventCountEvaluator(rule),
        RuleKind.State => new StateMatchEvaluator(rule),
        RuleKind.Composite => new CompositeEvaluator(rule, devices),
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule.Kind, "unknown rule kind"),
    };
}
