using Ioc.Contract.Alerts;
using Ioc.Alerting.Rules;
using Ioc.Contract;
using Ioc.Alerting.Text;

namespace Ioc.Alerting.Evaluation;

/// <summary>
/// <c>rate</c>: the increase of a counter over <c>window</c> (mode <c>increase</c>; a drop is a counter reset and counts
/// from zero), or the per-second change of a gauge between the oldest and newest sample in the window (<c>per_second</c>).
/// </summary>
public sealed class RateEvaluator : RuleEvaluator
{
    private readonly ConditionTracker _tracker;
    private readonly Dictionary<Subject, Samples> _series = new(Subject.KeyComparer);
    private readonly Comparison _comparison;
    private readonly string _metric;

    public RateEvaluator(AlertRule rule)
        : base(rule)
    {
        _comparison = rule.Comparison!;
        _metric = rule.Metric!;
        var summary = rule.Summary ?? DefaultSummaries.Rate(rule.RateMode);
        _tracker = new ConditionTracker(rule, (_, _) => summary);
    }

    public override int TrackedSubjects => _series.Count;

    public override bool Wants(MessageChannel channel) => channel == MessageChannel.Telemetry;

    public override void OnMessage(in MessageContext context, List<AlertSignal> output)
    {
        foreach (var point in context.Message.Points)
        {
            if (!TryMatch(context, point, _metric, numeric: true, out var field, out var subject))
            {
                continue;
            }

            if (!_series.TryGetValue(subject, out var samples))
            {
                samples = new Samples();
                _series[subject] = samples;
            }

            samples.Add(context.Now, field.AsDouble(), Rule.Window);
            if (samples.Compute(Rule.RateMode, Rule.Window) is { } rate)
            {
                _tracker.Observe(subject, _comparison.IsViolated(rate), _comparison.IsCleared(rate), rate, context.Now, output);
            }
        }
    }

    public override void OnTick(DateTimeOffset now, List<AlertSignal> output)
    {
        _tracker.Tick(now, output);
        List<Subject>? idle = null;
        foreach (var (key, samples) in _series)
        {
            // A series silent for several windows is forgotten; a firing one clears through its next sample.
            if (now - samples.Newest > Rule.Window * 4 && !_tracker.IsFiring(key))
            {
                (idle ??= []).Add(key);
            }
        }

        foreach (var key in idle ?? [])
        {
            _series.Remove(key);
        }
    }

    public override void Restore(Alert openAlert) => _tracker.Restore(Subject.FromAlert(openAlert), openAlert.Value);

    private sealed class Samples
    {
        private readonly Queue<(DateTimeOffset At, double Value)> _queue = new();

        public DateTimeOffset Newest { get; private set; }

        public void Add(DateTimeOffset at, double value, TimeSpan window)
        {
            _queue.Enqueue((at, value));
            Newest = at;
            // Keep exactly one sample at or before the window start as the baseline.
            while (_queue.Count > 2)
            {
                var second = _queue.ElementAt(1);
                if (at - second.At >= window)
                {
                    _queue.Dequeue();
                }
                else
                {
                    break;
                }
            }
        }

        public double? Compute(RateMode mode, TimeSpan window)
        {
            if (_queue.Count < 2)
            {
                return null;
            }

            if (mode == RateMode.PerSecond)
            {
                // A slope over a sliver of the window is noise: wait until the samples span half of it.
                var first = _queue.Peek();
                var span = Newest - first.At;
                return span < window / 2 ? null : (LastValue() - first.Value) / span.TotalSeconds;
            }

            var increase = 0.0;
            double? previous = null;
            foreach (var (_, value) in _queue)
            {
                if (previous is { } p)
                {
                    increase += value >= p ? value - p : value;
                }

                previous = value;
            }

            return increase;
        }

        private double LastValue()
        {
            var last = 0.0;
            foreach (var (_, value) in _queue)
            {
                last = value;
            }

            return last;
        }
    }
}
