using System.Diagnostics;
using System.Diagnostics.Metrics;
using Ioc.Alerting.Devices;

namespace Ioc.Alerting.Engine;

/// <summary>
/// The alert engine's instruments (meter <c>Ioc.Alerting</c>): how long evaluating one message and one tick takes, how
/// many messages were evaluated, and how many devices the engine knows. The phase tags are built once.
/// </summary>
public sealed class AlertingMetrics : IDisposable
{
    public const string MeterName = "Ioc.Alerting";

    private static readonly KeyValuePair<string, object?> MessagePhase = new("phase", "message");
    private static readonly KeyValuePair<string, object?> TickPhase = new("phase", "tick");
    private readonly Meter _meter;
    private readonly Histogram<double> _evaluation;
    private readonly Counter<long> _evaluated;

    public AlertingMetrics(DeviceRegistry registry)
    {
        _meter = new Meter(MeterName);
        _evaluation = _meter.CreateHistogram<double>(
            "ioc.alerting.evaluation_duration", "ms", "Time to evaluate the rules on one message (phase=message) or one tick (phase=tick), store writes included",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000] });
        _evaluated = _meter.CreateCounter<long>("ioc.alerting.messages_evaluated", "{message}", "Messages the alert engine has evaluated");
        // Count of a dictionary the engine's loop owns: a single int read, safe from the exporter's thread.
        _meter.CreateObservableGauge("ioc.alerting.devices", () => registry.Count, "{device}", "Devices the alert engine has heard from");
    }

    public void MessageEvaluated(long startTimestamp)
    {
        _evaluation.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds, MessagePhase);
        _evaluated.Add(1);
    }

    public void TickEvaluated(long startTimestamp) => _evaluation.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds, TickPhase);

    public void Dispose() => _meter.Dispose();
}
