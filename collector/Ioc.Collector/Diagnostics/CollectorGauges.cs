using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Ioc.Collector.Mqtt;
using Ioc.Collector.Pipeline;
using Ioc.Collector.Spool;

namespace Ioc.Collector.Diagnostics;

/// <summary>
/// The collector's levels (queue depths, spool, broker connections) as observable gauges on meter
/// <see cref="CollectorMetrics.MeterName"/>, read only when an exporter collects: nothing on the hot path. The counters
/// (received, accepted, rejected by reason, written, write latency) are <see cref="CollectorMetrics"/>'s. A hosted service
/// only so that the host creates it at start; it runs nothing.
/// </summary>
public sealed class CollectorGauges : IHostedService, IDisposable
{
    private readonly Meter _meter;

    public CollectorGauges(IngestQueue ingest, BatchQueue batches, DiskSpool spool, MqttIngressService ingress)
    {
        _meter = new Meter(CollectorMetrics.MeterName);
        _meter.CreateObservableGauge("ioc.collector.queue_depth", () => new[]
        {
            new Measurement<int>(ingest.Count, new KeyValuePair<string, object?>("queue", "ingest")),
            new Measurement<int>(batches.Count, new KeyValuePair<string, object?>("queue", "batches")),
        }, unit: "{item}", description: "Messages waiting to be batched (ingest) and batches waiting for a writer (batches)");
        _meter.CreateObservableGauge("ioc.collector.spool_bytes", () => spool.PendingBytes, unit: "By", description: "Bytes in the disk spool waiting to be replayed");
        _meter.CreateObservableGauge("ioc.collector.spool_segments", () => spool.PendingSegments, unit: "{segment}", description: "Spooled batches waiting to be replayed");
        _meter.CreateObservableGauge("ioc.collector.broker_connections", () => ingress.ConnectedCount, unit: "{connection}", description: "Broker connections of the collector that are up");
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _meter.Dispose();
}
