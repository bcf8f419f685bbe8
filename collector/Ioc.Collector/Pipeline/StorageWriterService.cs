using System.Diagnostics;
using Ioc.Collector.Configuration;
using Ioc.Collector.Diagnostics;
using Ioc.Collector.Spool;
using Ioc.Contract;
using Ioc.Contract.Model;
using Ioc.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ioc.Collector.Pipeline;

/// <summary>
/// Makes each batch durable — in the store, or in the disk spool while the store is down — records its dead
/// letters, and only then acknowledges its messages to the broker. A crash before the acknowledgements means
/// the broker redelivers, and the idempotent store absorbs the repeat.
/// </summary>
public sealed partial class StorageWriterService(
    BatchQueue batches,
    ITelemetryStore store,
    IDeadLetterStore deadLetters,
    DiskSpool spool,
    StoreAvailability availability,
    PipelineDrain drain,
    CollectorMetrics metrics,
    IOptions<CollectorOptions> options,
    TimeProvider time,
    ILogger<StorageWriterService> logger) : BackgroundService
{
    private static readonly TimeSpan RetryPause = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await InitializeStoresAsync(stoppingToken);
        await Task.WhenAll(Enumerable.Range(0, options.Value.WriteConcurrency).Select(slot => WriteLoopAsync(slot, stoppingToken)));
        drain.MarkDrained();
    }

    private async Task WriteLoopAsync(int slot, CancellationToken stoppingToken)
    {
        // Read until the batcher completes the queue, even after stop is requested: what was received gets stored.
        await foreach (var batch in batches.Reader.ReadAllAsync(CancellationToken.None))
        {
            metrics.BatchStarted(slot);
            try
            {
                if (await MakeDurableAsync(batch, stoppingToken))
                {
                    await StoreDeadLettersAsync(batch.DeadLetters);
                    await AcknowledgeAsync(batch);
                }
            }
            finally
            {
                metrics.BatchFinished(slot);
                batches.Finished();
            }
        }
    }

    /// <summary>
    /// Stores or spools the batch. If neither works (store down and spool full or its disk failing) the batch is held and
    /// retried — store first, then spool — with a growing pause; meanwhile this writer takes nothing new, so the queues
    /// fill and the broker stops delivering (backpressure). Nothing is dropped and nothing is left unacknowledged for
    /// good: once either side takes the batch it is acknowledged, without a restart. False only when the host stops with
    /// the batch still held: its messages stay unacknowledged in the persistent session and come back after the restart.
    /// </summary>
    private async Task<bool> MakeDurableAsync(Batch batch, CancellationToken stoppingToken)
    {
        var baseDelay = options.Value.ReplayRetryDelay;
        var delay = baseDelay;
        var held = false;
        var storeFirst = false;
        try
        {
            while (true)
            {
                try
                {
                    await PersistAsync(batch, storeFirst);
                    if (held)
                    {
                        Log.BatchReleased(logger, batch.MessageCount);
                    }

                    return true;
                }
                catch (Exception ex)
                {
                    if (!held)
                    {
                        held = true;
                        metrics.BatchHeld();
                        Log.BatchHeld(logger, batch.MessageCount, ex.Message);
                    }

                    if (stoppingToken.IsCancellationRequested)
                    {
                        Log.BatchLeftAtStop(logger, batch.MessageCount);
                        return false;
                    }
                }

                try
                {
                    await Task.Delay(delay, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    // Stopping: one last try below, then leave the batch to the broker.
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, baseDelay.Ticks * 10));
                storeFirst = true;
            }
        }
        finally
        {
            if (held)
            {
                metrics.BatchReleased();
            }
        }
    }

    private async Task InitializeStoresAsync(CancellationToken stoppingToken)
    {
        await deadLetters.InitializeAsync(stoppingToken);
        try
        {
            await store.InitializeAsync(stoppingToken);
            Log.StoreReady(logger, store.Name);
        }
        catch (StoreUnavailableException ex)
        {
            availability.MarkDown(ex.Message, time.GetUtcNow());
            Log.StoreDownAtStart(logger, store.Name, ex.Message);
        }
    }

    /// <param name="storeFirst">Try the store even while it is marked down: a held batch's retry, which also notices recovery.</param>
    private async Task PersistAsync(Batch batch, bool storeFirst)
    {
        if (batch.Points.Count == 0)
        {
            return;
        }

        if (!availability.IsDown || storeFirst)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await store.WriteAsync(batch.Points, CancellationToken.None);
                metrics.PointsWritten(batch.Points.Count, Stopwatch.GetElapsedTime(started));
                if (availability.IsDown && spool.IsEmpty)
                {
                    // Nothing spooled for the replayer to probe with: this write is the proof the store is back.
                    availability.MarkUp();
                }

                return;
            }
            catch (StoreUnavailableException ex)
            {
                availability.MarkDown(ex.Message, time.GetUtcNow());
                Log.StoreDown(logger, store.Name, ex.Message);
            }
            catch (StoreRejectedException ex)
            {
                Log.BatchRefused(logger, batch.Points.Count, ex.Message);
                await PersistOneByOneAsync(batch);
                return;
            }
        }

        await SpoolAsync(batch.Points);
    }

    /// <summary>The store refused something in the batch: find which messages, dead-letter them, keep the rest.</summary>
    private async Task PersistOneByOneAsync(Batch batch)
    {
        // If the rest can be neither stored nor spooled the whole batch is retried: forget this pass's dead letters.
        var letters = batch.DeadLetters.Count;
        try
        {
            await PersistEachAsync(batch);
        }
        catch
        {
            batch.DeadLetters.RemoveRange(letters, batch.DeadLetters.Count - letters);
            throw;
        }
    }

    private async Task PersistEachAsync(Batch batch)
    {
        for (var i = 0; i < batch.Accepted.Count; i++)
        {
            var (message, start, count) = batch.Accepted[i];
            var points = batch.Points.GetRange(start, count);
            try
            {
                await store.WriteAsync(points, CancellationToken.None);
                metrics.PointsWritten(count, TimeSpan.Zero);
            }
            catch (StoreRejectedException ex)
            {
                metrics.MessageRejected(RejectReason.StoreRejected);
                batch.DeadLetters.Add(DeadLetter.Create(message.ReceivedAt, message.Topic, RejectReason.StoreRejected.Name(), ex.Message, message.Payload));
            }
            catch (StoreUnavailableException ex)
            {
                availability.MarkDown(ex.Message, time.GetUtcNow());
                var rest = batch.Accepted.Skip(i).SelectMany(a => batch.Points.GetRange(a.Start, a.Count)).ToList();
                await SpoolAsync(rest);
                return;
            }
        }
    }

    private async Task SpoolAsync(IReadOnlyList<Point> points)
    {
        if (!await spool.TryAppendAsync(points, CancellationToken.None))
        {
            // The spool is full: the caller holds the batch (and so the broker's messages) until the store or the spool has room.
            Log.SpoolFull(logger, spool.PendingBytes);
            throw new IOException($"disk spool full ({spool.PendingBytes} of {spool.MaxBytes} bytes)");
        }

        metrics.PointsSpooled(points.Count);
    }

    private async Task StoreDeadLettersAsync(List<DeadLetter> letters)
    {
        while (letters.Count > 0)
        {
            try
            {
                await deadLetters.AddAsync(letters, CancellationToken.None);
                return;
            }
            catch (Exception ex)
            {
                Log.DeadLettersFailed(logger, letters.Count, ex);
                await Task.Delay(RetryPause, time);
            }
        }
    }

    private async Task AcknowledgeAsync(Batch batch)
    {
        foreach (var message in batch.Messages)
        {
            if (message.Acknowledge is null)
            {
                continue;
            }

            try
            {
                await message.Acknowledge(CancellationToken.None);
            }
            catch (Exception)
            {
                // The connection dropped: the broker will redeliver and the store absorbs the repeat.
                metrics.AcknowledgeFailed();
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Store {Store} ready")]
        public static partial void StoreReady(ILogger logger, string store);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Store {Store} unavailable at start ({Error}); batches go to the disk spool until it answers")]
        public static partial void StoreDownAtStart(ILogger logger, string store, string error);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Store {Store} unavailable ({Error}); batches go to the disk spool until it answers")]
        public static partial void StoreDown(ILogger logger, string store, string error);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Store refused a batch of {Points} points ({Error}); retrying message by message")]
        public static partial void BatchRefused(ILogger logger, int points, string error);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Disk spool full ({Bytes} bytes)")]
        public static partial void SpoolFull(ILogger logger, long bytes);

        [LoggerMessage(Level = LogLevel.Error, Message = "Could not record {Count} dead letters; retrying")]
        public static partial void DeadLettersFailed(ILogger logger, int count, Exception exception);

        [LoggerMessage(Level = LogLevel.Error, Message = "A batch of {Count} messages can be neither stored nor spooled ({Error}); holding it and retrying, store first, while intake waits")]
        public static partial void BatchHeld(ILogger logger, int count, string error);

        [LoggerMessage(Level = LogLevel.Information, Message = "A held batch of {Count} messages is durable again; intake resumes")]
        public static partial void BatchReleased(ILogger logger, int count);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping with a held batch of {Count} messages: left unacknowledged, the broker delivers them again after the restart")]
        public static partial void BatchLeftAtStop(ILogger logger, int count);
    }
}
