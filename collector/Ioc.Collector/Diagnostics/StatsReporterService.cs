using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ioc.Collector.Diagnostics;

/// <summary>Logs one line of throughput every ten seconds while anything moves, so an operator can see the pipeline work.</summary>
public sealed partial class StatsReporterService(CollectorStatus status, TimeProvider time, ILogger<StatsReporterService> logger) : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var last = status.Snapshot();
        using var timer = new PeriodicTimer(Period, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var now = status.Snapshot();
            if (now.Received == last.Received && now.PointsReplayed == last.PointsReplayed)
            {
                continue;
            }

            Log.Stats(
                logger,
                (now.Received - last.Received) / Period.TotalSeconds,
                now.Received,
                now.Accepted,
                now.Rejected,
                now.PointsWritten,
                now.PointsSpooled,
                now.SpoolSegments,
                now.QueueDepth,
                now.WriteLatencyP99Ms,
                now.Status);
            last = now;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Ingest {Rate:F0} msg/s; received {Received}, accepted {Accepted}, rejected {Rejected}; points written {Written}, spooled {Spooled} ({SpoolSegments} batches waiting); queue {Queue}; write p99 {WriteP99} ms; {Status}")]
        public static partial void Stats(ILogger logger, double rate, long received, long accepted, long rejected, long written, long spooled, int spoolSegments, int queue, double writeP99, string status);
    }
}
