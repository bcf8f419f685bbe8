using Ioc.Storage;
using Ioc.Storage.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ioc.Collector.Pipeline;

/// <summary>Deletes SQLite telemetry older than <c>Ioc:Storage:Sqlite:RetentionDays</c>, hourly.</summary>
public sealed partial class SqliteRetentionService(
    SqliteTelemetryStore store,
    IOptions<StorageOptions> options,
    TimeProvider time,
    ILogger<SqliteRetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retention = TimeSpan.FromDays(options.Value.Sqlite.RetentionDays);
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        do
        {
            try
            {
                var deleted = await store.DeleteOlderThanAsync(time.GetUtcNow() - retention, stoppingToken);
                if (deleted > 0)
                {
                    Log.Deleted(logger, deleted, retention.TotalDays);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.Failed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Retention removed {Count} points older than {Days} days")]
        public static partial void Deleted(ILogger logger, int count, double days);

        [LoggerMessage(Level = LogLevel.Error, Message = "Retention pass failed")]
        public static partial void Failed(ILogger logger, Exception exception);
    }
}
