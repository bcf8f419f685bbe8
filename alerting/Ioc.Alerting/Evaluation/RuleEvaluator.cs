using System.Diagnostics.CodeAnalysis;
using Ioc.Contract.Alerts;
using Ioc.Alerting.Rules;
using Ioc.Contract;
using Ioc.Contract.Model;

namespace Ioc.Alerting.Evaluation;

/// <summary>One accepted message, with what the engine knows about its device (its subject, built once per device).</summary>
public readonly record struct MessageContext(DecodedMessage Message, Subject DeviceSubject, DateTimeOffset Now)
{
    public DeviceAddress Device => Message.Device;

    public string? District => DeviceSubject.District;
}

/// <summary>Evaluates one rule on the stream. Not thread-safe: the engine calls it from its single evaluation loop.</summary>
public abstract class RuleEvaluator(AlertRule rule)
{
    private readonly bool _perDevice = rule.GroupBy is ["device"];

    public AlertRule Rule { get; } = rule;

    /// <summary>Channels whose messages this rule reads (the engine skips the others).</summary>
    public abstract bool Wants(MessageChannel channel);

    public abstract void OnMessage(in MessageContext context, List<AlertSignal> output);

    /// <summary>Gives back the slack of per-subject tables after a burst (the engine's thread, like every other call).</summary>
    public virtual void TrimExcess()
    {
    }

    /// <summary>Time passes: for-durations elapse, windows slide, silent devices go missing.</summary>
    public virtual void OnTick(DateTimeOffset now, List<AlertSignal> output)
    {
    }

    /// <summary>An alert of this rule is open in the store (after a restart): resume as firing, without a new signal.</summary>
    public abstract void Restore(Alert openAlert);

    /// <summary>Number of subjects held in memory (for diagnostics).</summary>
    public abstract int TrackedSubjects { get; }

    /// <summary>
    /// Whether <paramref name="point"/> is one the rule watches: its measurement, a value for <paramref name="metric"/>
    /// (a number or boolean when <paramref name="numeric"/>), tags in scope, and a subject under <c>groupBy</c>.
    /// </summary>
    protected bool TryMatch(in MessageContext context, Point point, string metric, bool numeric, out FieldValue field, [NotNullWhen(true)] out Subject? subject)
    {
        subject = null;
        if ((Rule.Measurement is not null && point.Measurement != Rule.Measurement) || FindField(point, metric) is not { } value
            || (numeric && !value.IsNumeric) || !Rule.Scope.MatchesTags(point))
        {
            field = default;
            return false;
        }

        field = value;
        subject = SubjectFor(context, point);
        return subject is not null;
    }

    /// <summary>
    /// The metric's value in the point: under its own name, or — for a metric the contract does not declare — under the
    /// kind-suffixed name it is stored as (<c>state</c> → <c>state:str</c>, <c>x:bool</c>, <c>n:int</c>; see
    /// <c>FieldSchema</c>), so that rules name metrics as devices send them.
    /// </summary>
    private FieldValue? FindField(Point point, string metric)
    {
        if (point.GetField(metric) is { } value)
        {
            return value;
        }

        if (!ReferenceEquals(metric, _suffixedFor))
        {
            _suffixed = metric.Contains(':', StringComparison.Ordinal)
                ? []
                : [metric + FieldSchema.StringSuffix, metric + FieldSchema.BooleanSuffix, metric + FieldSchema.IntegerSuffix];
            _suffixedFor = metric;
        }

        foreach (var name in _suffixed)
        {
            if (point.GetField(name) is { } stored)
            {
                return stored;
            }
        }

        return null;
    }

    // Evaluators run on the engine's one loop: a per-evaluator cache needs no lock.
    private string? _suffixedFor;
    private string[] _suffixed = [];

    /// <summary>The subject a point is about under the rule's <c>groupBy</c> (the cached device subject in the common case).</summary>
    protected Subject? SubjectFor(in MessageContext context, Point point) =>
        _perDevice ? context.DeviceSubject : Subject.Build(Rule.GroupBy, context.Device, context.District, point.GetTag);

    protected Subject? SubjectFor(in MessageContext context, IReadOnlyDictionary<string, string> attributes) =>
        _perDevice ? context.DeviceSubject : Subject.Build(Rule.GroupBy, context.Device, context.District, attributes.GetValueOrDefault);
}
