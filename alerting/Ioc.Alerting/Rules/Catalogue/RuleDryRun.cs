using Ioc.Alerting.Devices;
using Ioc.Alerting.Evaluation;
using Ioc.Contract;
using Ioc.Contract.Model;
using Ioc.Contract.Text;
using Ioc.Storage;

namespace Ioc.Alerting.Rules.Catalogue;

/// <summary>What a rule would have done at one moment of the replay: fired (or cleared) for a subject, with the value.</summary>
public sealed record DryRunHit(DateTimeOffset At, bool Firing, string Subject, string? Site, string? District, string? DeviceType, string? DeviceId, double? Value, LocalizedText Summary);

/// <summary>
/// The replay's outcome: the hits in time order, how many stored points were read, the window, whether a read hit its
/// limit (older points of that measurement may be missing), and whether the rule's kind can be replayed at all.
/// </summary>
public sealed record DryRunResult(string RuleId, IReadOnlyList<DryRunHit> Hits, int PointsRead, DateTimeOffset From, DateTimeOffset To, bool Truncated, bool Supported);

/// <summary>
/// Replays stored telemetry and events of a recent window through one rule alone, on a private evaluator and device
/// registry, in the order the points were taken (their own timestamps as the clock, ticking every second between them
/// so for-durations and windows elapse): what it would have fired, on which device, when, at what value. Nothing is
/// written and the engine's alert state is not touched. Threshold, state, rate and event-count rules can be replayed;
/// offline (silence is not stored as points) and composite rules (they count other rules' alerts) cannot.
/// </summary>
public sealed class RuleDryRun(RuleCatalog catalog, ITelemetryStore telemetry, TimeProvider time)
{
    public const int PointsPerMeasurement = 10_000;
    private static readonly TimeSpan TickStep = TimeSpan.FromSeconds(1);

    /// <summary>Validates <paramref name="definition"/> (with the rest of the catalogue, as a save would) and replays the last <paramref name="window"/>.</summary>
    public async Task<DryRunResult> RunAsync(string definition, TimeSpan window, CancellationToken cancellationToken)
    {
        var normalized = RuleCatalog.Normalize(definition);
        var id = System.Text.Json.Nodes.JsonNode.Parse(normalized)?["id"]?.ToString() ?? string.Empty;
        ParsedRules parsed;
        try
        {
            parsed = catalog.Validate(catalog.Rules.Where(r => r.Stored.Id != id && r.Runs).Select(r => r.Stored.Definition).Append(normalized));
        }
        catch (RuleValidationException ex)
        {
            throw new RuleCommandException(RuleCommandFailure.Invalid, [.. ex.Problems.Where(p => p.RuleId is null || p.RuleId == id)]);
        }

        var rule = parsed.All.Last();
        var to = time.GetUtcNow();
        var from = to - window;
        if (rule.Kind is RuleKind.Offline or RuleKind.Composite)
        {
            return new DryRunResult(rule.Id, [], 0, from, to, Truncated: false, Supported: false);
        }

        var points = new List<Point>();
        var truncated = false;
        foreach (var measurement in await MeasurementsAsync(rule, from, to, cancellationToken))
        {
            var read = await telemetry.QueryAsync(new PointQuery(measurement, from, to) { Limit = PointsPerMeasurement }, cancellationToken);
            truncated |= read.Count >= PointsPerMeasurement;
            points.AddRange(read);
        }

        points.Sort(static (a, b) => a.TimestampNs.CompareTo(b.TimestampNs));
        var registry = new DeviceRegistry(catalog.File, TimeSpan.FromDays(1));
        var evaluator = EvaluatorFactory.Create(rule with { Enabled = true }, registry);
        var signals = new List<AlertSignal>();
        var hits = new List<DryRunHit>();
        var health = new List<Ioc.Contract.Alerts.DeviceHealth>();
        var clock = from;
        foreach (var point in points)
        {
            if (ToMessage(point) is not { } message)
            {
                continue;
            }

            var at = point.Timestamp;
            for (; clock + TickStep <= at; clock += TickStep)
            {
                evaluator.OnTick(clock + TickStep, signals);
            }

            var subject = registry.Observe(message, at, health);
            health.Clear();
            if (evaluator.Wants(message.Channel) && rule.Scope.MatchesDevice(message.Device, subject.District))
            {
                evaluator.OnMessage(new MessageContext(message, subject, at), signals);
            }

            Collect(signals, hits);
        }

        for (; clock + TickStep <= to; clock += TickStep)
        {
            evaluator.OnTick(clock + TickStep, signals);
        }

        Collect(signals, hits);
        return new DryRunResult(rule.Id, hits, points.Count, from, to, truncated, Supported: true);
    }

    private static void Collect(List<AlertSignal> signals, List<DryRunHit> hits)
    {
        foreach (var s in signals)
        {
            hits.Add(new DryRunHit(s.At, s.Firing, s.Subject.Display, s.Subject.Site, s.Subject.District, s.Subject.DeviceType, s.Subject.DeviceId, s.Value, s.Summary));
        }

        signals.Clear();
    }

    /// <summary>The measurements the rule can read: its own, events, the scope's device types (JSON telemetry is stored under the device type), or every stored one.</summary>
    private async Task<IReadOnlyList<string>> MeasurementsAsync(AlertRule rule, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        if (rule.Kind == RuleKind.EventCount)
        {
            return [Measurements.Event];
        }

        if (rule.Measurement is { } measurement)
        {
            return [measurement];
        }

        if (rule.Scope.DeviceTypes.Count > 0)
        {
            return [.. rule.Scope.DeviceTypes];
        }

        var series = await telemetry.ListSeriesAsync(new SeriesQuery { Keys = [], Limit = 1_000 }, cancellationToken);
        return [.. series.Select(s => s.Measurement).Where(m => !Measurements.IsReserved(m)).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The message a stored point came from (telemetry, or an event with its type, severity and attributes).</summary>
    private static DecodedMessage? ToMessage(Point point)
    {
        // JSON telemetry is stored under its device type as the measurement, without a device_type tag.
        var type = point.GetTag(TagNames.DeviceType) ?? (Measurements.IsReserved(point.Measurement) ? null : point.Measurement);
        if (point.Measurement == Measurements.Status || point.GetTag(TagNames.Site) is not { } site || type is null || point.GetTag(TagNames.Device) is not { } id)
        {
            return null;
        }

        var device = new DeviceAddress(site, type, id);

        if (point.Measurement != Measurements.Event)
        {
            return new DecodedMessage(device, MessageChannel.Telemetry, [point]);
        }

        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        var message = string.Empty;
        foreach (var field in point.Fields)
        {
            var key = field.Key.EndsWith(FieldSchema.StringSuffix, StringComparison.Ordinal) ? field.Key[..^FieldSchema.StringSuffix.Length] : field.Key;
            if (key == "message")
            {
                message = field.Value.AsString();
            }
            else
            {
                attributes[key] = field.Value.AsString();
            }
        }

        var severity = Enum.TryParse<EventSeverity>(point.GetTag(TagNames.Severity), ignoreCase: true, out var parsed) ? parsed : EventSeverity.Info;
        var deviceEvent = new DeviceEvent(device, point.Timestamp, point.GetTag(TagNames.EventType) ?? string.Empty, severity, message, attributes);
        return new DecodedMessage(device, MessageChannel.Event, [point], Event: deviceEvent);
    }
}
