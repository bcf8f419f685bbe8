using Ioc.Collector.Configuration;
using Ioc.Collector.Mqtt;
using Ioc.Collector.Pipeline;
using Ioc.Collector.Spool;
using Ioc.Collector.Snmp;
using Ioc.Collector.Syslog;
using Ioc.Contract;
using Ioc.Storage;
using Microsoft.Extensions.Options;

namespace Ioc.Collector.Diagnostics;

/// <summary>
/// A point-in-time view of the collector for /healthz, logs, its own health telemetry and the dashboard.
/// <see cref="Status"/> is <c>Healthy</c>, <c>Degraded</c> (working around something) or <c>Unhealthy</c> (failing:
/// data is not getting through, or will not for long); <see cref="Reasons"/> says why, one line per cause.
/// </summary>
public sealed record CollectorSnapshot(
    string Status,
    int MqttConnected,
    int MqttConnections,
    string Store,
    bool StoreUp,
    string? StoreError,
    int QueueDepth,
    int SpoolSegments,
    long SpoolBytes,
    long Received,
    long Accepted,
    long Rejected,
    IReadOnlyDictionary<string, long> RejectedByReason,
    long PointsWritten,
    long PointsSpooled,
    long PointsReplayed,
    long AckFailures,
    double WriteLatencyP50Ms,
    double WriteLatencyP99Ms)
{
    /// <summary>0 healthy, 1 degraded, 2 failing: the <c>health</c> metric of the collector's own telemetry.</summary>
    public int Health { get; init; }

    public IReadOnlyList<string> Reasons { get; init; } = [];

    public double NoWriteSeconds { get; init; }

    public double LastWriteMs { get; init; }

    public bool SpoolFull { get; init; }

    public string? SpoolError { get; init; }

    public int HeldBatches { get; init; }

    public long DecoderFaults { get; init; }

    public long RateLimited { get; init; }

    public int FloodDevices { get; init; }

    /// <summary>The syslog receiver: listeners, per-source counters (received, dropped on a full queue, refused, unknown sender).</summary>
    public SyslogSnapshot? Syslog { get; init; }

    /// <summary>The SNMP bridge: polls per device, traps received and from unknown sources.</summary>
    public SnmpSnapshot? Snmp { get; init; }
}

public sealed class CollectorStatus
{
    public const string Healthy = "Healthy";
    public const string Degraded = "Degraded";
    public const string Unhealthy = "Unhealthy";

    /// <summary>
    /// The first connection to the broker is still being attempted (none up, none failed, within the connect timeout):
    /// not ready (/healthz 503), not failing either, so nothing is logged as a warning.
    /// </summary>
    public const string Starting = "Starting";

    private static readonly string[] StatusNames = [Healthy, Degraded, Unhealthy];
    private readonly CollectorMetrics _metrics;
    private readonly Func<(int Connected, int Total)> _connections;
    private readonly Func<bool> _firstConnectPending;
    private readonly IngestQueue _queue;
    private readonly DiskSpool _spool;
    private readonly StoreAvailability _availability;
    private readonly ITelemetryStore _store;
    private readonly CollectorHealthOptions _health;
    private readonly SyslogMetrics? _syslog;
    private readonly SnmpStatus? _snmp;
    private readonly IReadOnlyList<IDegradedReasons> _others;

    public CollectorStatus(
        CollectorMetrics metrics,
        MqttIngressService ingress,
        IngestQueue queue,
        DiskSpool spool,
        StoreAvailability availability,
        ITelemetryStore store,
        IOptions<CollectorOptions> options,
        SyslogMetrics syslog,
        SnmpStatus snmp,
        IEnumerable<IDegradedReasons> others)
        : this(metrics, () => (ingress.ConnectedCount, ingress.ConnectionCount), queue, spool, availability, store, options.Value.Health, syslog, snmp, () => ingress.FirstConnectPending, others)
    {
    }

    /// <summary>With the broker connections given as a function: the seam the pipeline tests use (no MQTT there).</summary>
    internal CollectorStatus(
        CollectorMetrics metrics,
        Func<(int Connected, int Total)> connections,
        IngestQueue queue,
        DiskSpool spool,
        StoreAvailability availability,
        ITelemetryStore store,
        CollectorHealthOptions health,
        SyslogMetrics? syslog = null,
        SnmpStatus? snmp = null,
        Func<bool>? firstConnectPending = null,
        IEnumerable<IDegradedReasons>? others = null)
    {
        _others = [.. others ?? []];
        _firstConnectPending = firstConnectPending ?? (() => false);
        _syslog = syslog;
        _snmp = snmp;
        _metrics = metrics;
        _connections = connections;
        _queue = queue;
        _spool = spool;
        _availability = availability;
        _store = store;
        _health = health;
    }

    public CollectorSnapshot Snapshot()
    {
        var (p50, p99) = _metrics.WriteLatencyPercentiles();
        var (connected, total) = _connections();
        var noWrite = _metrics.NoWriteSeconds();
        var spoolFull = _spool.IsFull;
        var spoolError = _spool.Fault;
        var held = _metrics.HeldBatches;
        var sinceDecoderFault = _metrics.SecondsSinceDecoderFault();
        var lastWrite = _metrics.LastWriteMs;
        var flooding = _metrics.FloodDevices;
        var reasons = new List<string>();
        var level = 0;

        void Fail(string reason)
        {
            reasons.Add("failing: " + reason);
            level = 2;
        }

        void Degrade(string reason)
        {
            reasons.Add("degraded: " + reason);
            level = Math.Max(level, 1);
        }

        var starting = false;
        if (connected == 0 && _firstConnectPending())
        {
            starting = true;
            reasons.Add($"starting: first connection to the broker under way (0 of {total} up)");
        }
        else if (connected == 0)
        {
            Fail($"no broker connection up (0 of {total})");
        }

        if (noWrite >= _health.NoWriteFailAfter)
        {
            Fail($"no batch stored or spooled for {noWrite:F0} s while messages wait (Ioc:Collector:Health:NoWriteFailAfter {_health.NoWriteFailAfter} s)");
        }

        if (spoolFull)
        {
            Fail($"disk spool full ({_spool.PendingBytes} of {_spool.MaxBytes} bytes, Ioc:Collector:SpoolMaxBytes)");
        }

        if (spoolError is not null)
        {
            Fail($"disk spool failing: {spoolError}");
        }

        if (held > 0)
        {
            Fail($"{held} batch(es) neither stored nor spooled, held and retried; intake waits");
        }

        if (sinceDecoderFault is < 60)
        {
            Fail($"decoder fault {sinceDecoderFault:F0} s ago (see the dead letters with reason decoder_fault)");
        }

        if (connected > 0 && connected < total)
        {
            Degrade($"{connected} of {total} broker connections up");
        }

        if (_availability.IsDown)
        {
            Degrade($"store {_store.Name} unavailable, spooling to disk ({_availability.LastError})");
        }
        else if (_spool.PendingSegments > 0)
        {
            Degrade($"replaying {_spool.PendingSegments} spooled batches");
        }

        if (lastWrite > _health.SlowWriteMs)
        {
            Degrade($"store slow: last write took {lastWrite:F0} ms (Ioc:Collector:Health:SlowWriteMs {_health.SlowWriteMs})");
        }

        if (flooding > 0)
        {
            Degrade($"{flooding} device(s) over Ioc:Collector:DeviceRateLimit in the last minute, excess refused as rate_limited");
        }

        var syslog = _syslog?.Snapshot();
        if (syslog is { SecondsSinceDrop: < 60 })
        {
            Degrade($"syslog: {syslog.Dropped} UDP message(s) dropped so far because the ingest queue was full, the last {syslog.SecondsSinceDrop:F0} s ago (per source: syslog.sources)");
        }

        // Other parts of the process (the alert engine in the same host): degraded, never failing.
        foreach (var other in _others)
        {
            foreach (var reason in other.DegradedReasons())
            {
                Degrade(reason);
            }
        }

        return new CollectorSnapshot(
            starting && level < 2 ? Starting : StatusNames[level],
            connected,
            total,
            _store.Name,
            !_availability.IsDown,
            _availability.LastError,
            _queue.Count,
            _spool.PendingSegments,
            _spool.PendingBytes,
            _metrics.Received,
            _metrics.Accepted,
            _metrics.RejectedTotal,
            _metrics.RejectedByReason(),
            _metrics.Written,
            _metrics.Spooled,
            _metrics.Replayed,
            _metrics.AckFailures,
            Math.Round(p50, 2),
            Math.Round(p99, 2))
        {
            Health = level,
            Reasons = reasons,
            NoWriteSeconds = Math.Round(noWrite, 1),
            LastWriteMs = Math.Round(lastWrite, 2),
            SpoolFull = spoolFull,
            SpoolError = spoolError,
            HeldBatches = held,
            DecoderFaults = _metrics.Rejected(RejectReason.DecoderFault),
            RateLimited = _metrics.RateLimited,
            FloodDevices = flooding,
            Syslog = syslog,
            Snmp = _snmp?.Snapshot(),
        };
    }
}
