using Ioc.Collector.Mqtt;
using Ioc.Collector.Pipeline;
using Ioc.Collector.Spool;
using Ioc.Storage;

namespace Ioc.Collector.Diagnostics;

/// <summary>A point-in-time view of the collector for /healthz, logs and the dashboard.</summary>
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
    double WriteLatencyP99Ms);

public sealed class CollectorStatus(
    CollectorMetrics metrics,
    MqttIngressService ingress,
    IngestQueue queue,
    DiskSpool spool,
    StoreAvailability availability,
    ITelemetryStore store)
{
    public CollectorSnapshot Snapshot()
    {
        var (p50, p99) = metrics.WriteLatencyPercentiles();
        var connected = ingress.ConnectedCount;
        var status = connected == 0 ? "Unhealthy" : availability.IsDown || connected < ingress.ConnectionCount ? "Degraded" : "Healthy";
        return new CollectorSnapshot(
            status,
            connected,
            ingress.ConnectionCount,
            store.Name,
            !availability.IsDown,
            availability.LastError,
            queue.Count,
            spool.PendingSegments,
            spool.PendingBytes,
            metrics.Received,
            metrics.Accepted,
            metrics.RejectedTotal,
            metrics.RejectedByReason(),
            metrics.Written,
            metrics.Spooled,
            metrics.Replayed,
            metrics.AckFailures,
            Math.Round(p50, 2),
            Math.Round(p99, 2));
    }
}
