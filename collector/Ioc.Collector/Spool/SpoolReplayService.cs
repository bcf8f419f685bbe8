using Ioc.Collector.Configuration;
using Ioc.Collector.Diagnostics;
using Ioc.Collector.Pipeline;
using Ioc.Contract.Model;
using Ioc.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ioc.Collector.Spool;

/// <summary>
/// Replays spooled batches into the store, oldest first, and removes each once written. Replays are idempotent
/// (same series and timestamp), so a crash between write and removal only writes a batch twice.
/// </summary>
public sealed partial class SpoolReplayService(
    DiskSpool spool,
    ITelemetryStore store,
    StoreAvailability availability,
    CollectorMetrics metrics,
    IOptions<CollectorOptions> options,
    TimeProvider time,
    ILogger<SpoolReplayService> logger) : BackgroundService
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(250);
    private bool _recovering;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var baseDelay = options.Value.ReplayRetryDelay;
        var delay = baseDelay;
        if (!spool.IsEmpty)
        {
            Log.Pending(logger, spool.PendingSegments, spool.PendingBytes);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var segment = spool.Oldest();
            if (segment is null)
            {
                if (spool.Fault is not null && !spool.Probe())
                {
                    // Still failing: probe again after a longer pause.
                    await Task.Delay(baseDelay, time, stoppingToken);
                }

                await Task.Delay(IdlePoll, time, stoppingToken);
                continue;
            }

            IReadOnlyList<Point> points;
            try
            {
                points = await DiskSpool.ReadAsync(segment, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Quarantine(segment, ex);
                continue;
            }

            try
            {
                await store.WriteAsync(points, stoppingToken);
            }
            catch (StoreUnavailableException ex)
            {
                availability.MarkDown(ex.Message, time.GetUtcNow());
                Log.StillDown(logger, spool.PendingSegments, delay, ex.Message);
                await Task.Delay(delay, time, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, baseDelay.Ticks * 10));
                continue;
            }
            catch (StoreRejectedException)
            {
                await ReplayOneByOneAsync(points, stoppingToken);
            }

            spool.Remove(segment);
            metrics.PointsReplayed(points.Count);
            delay = baseDelay;
            if (availability.IsDown && !_recovering)
            {
                _recovering = true;
                Log.Recovered(logger, store.Name, spool.PendingSegments);
            }

            if (spool.IsEmpty)
            {
                availability.MarkUp();
                _recovering = false;
                Log.Drained(logger);
            }
        }
    }

    private async Task ReplayOneByOneAsync(IReadOnlyList<Point> points, CancellationToken stoppingToken)
    {
        foreach (var point in points)
        {
            try
            {
                await store.WriteAsync([point], stoppingToken);
            }
            catch (StoreRejectedException ex)
            {
                Log.PointRefused(logger, point.Measurement, ex.Message);
            }
        }
    }

    private void Quarantine(SpoolSegment segment, Exception ex)
    {
        var corrupt = Path.Combine(spool.Folder, "corrupt");
        Directory.CreateDirectory(corrupt);
        File.Copy(segment.Path, Path.Combine(corrupt, Path.GetFileName(segment.Path)), overwrite: true);
        spool.Remove(segment);
        Log.Corrupt(logger, segment.Path, corrupt, ex);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Disk spool holds {Segments} batches ({Bytes} bytes) from before; replaying")]
        public static partial void Pending(ILogger logger, int segments, long bytes);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Store still down; {Segments} batches spooled; next try in {Delay} ({Error})")]
        public static partial void StillDown(ILogger logger, int segments, TimeSpan delay, string error);

        [LoggerMessage(Level = LogLevel.Information, Message = "Store {Store} answers again; replaying {Segments} spooled batches")]
        public static partial void Recovered(ILogger logger, string store, int segments);

        [LoggerMessage(Level = LogLevel.Information, Message = "Disk spool drained")]
        public static partial void Drained(ILogger logger);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Store refused a spooled point of {Measurement} for good: {Error}")]
        public static partial void PointRefused(ILogger logger, string measurement, string error);

        [LoggerMessage(Level = LogLevel.Error, Message = "Spool segment {Path} is unreadable; moved to {Folder}")]
        public static partial void Corrupt(ILogger logger, string path, string folder, Exception exception);
    }
}
