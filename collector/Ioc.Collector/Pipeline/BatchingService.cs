using Ioc.Collector.Configuration;
using Ioc.Collector.Diagnostics;
using Ioc.Contract;
using Ioc.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ioc.Collector.Pipeline;

/// <summary>
/// Decodes each received message against the contract, shows accepted ones to the observers (the alert engine),
/// and gathers messages into batches that are handed to the writer when full or when the oldest has waited
/// <see cref="CollectorOptions.BatchInterval"/>. Runs until the ingest queue is completed, then flushes.
/// </summary>
public sealed partial class BatchingService(
    IngestQueue ingest,
    BatchQueue batches,
    MessageDecoder decoder,
    IEnumerable<ITelemetryObserver> observers,
    CollectorMetrics metrics,
    IOptions<CollectorOptions> options,
    TimeProvider time,
    ILogger<BatchingService> logger) : BackgroundService
{
    private readonly ITelemetryObserver[] _observers = observers.ToArray();
    private readonly int _batchSize = options.Value.BatchSize;
    private readonly TimeSpan _interval = options.Value.BatchInterval;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var reader = ingest.Reader;
        var batch = new Batch();
        var timer = new CancellationTokenSource();
        var open = true;
        while (open)
        {
            if (batch.MessageCount == 0)
            {
                // Nothing pending: wait as long as it takes. The queue completes when the ingress stops.
                if (!await reader.WaitToReadAsync(CancellationToken.None))
                {
                    break;
                }

                batch.OpenedAt = time.GetUtcNow();
            }

            while (batch.MessageCount < _batchSize && reader.TryRead(out var message))
            {
                Process(message, batch);
            }

            var remaining = batch.OpenedAt + _interval - time.GetUtcNow();
            if (batch.MessageCount >= _batchSize || remaining <= TimeSpan.Zero)
            {
                await FlushAsync(batch);
                batch = new Batch();
                continue;
            }

            if (!timer.TryReset())
            {
                // A source that has fired cannot be reset; the next wait needs a fresh one.
                timer.Dispose();
                timer = new CancellationTokenSource();
            }

            timer.CancelAfter(remaining);
            try
            {
                open = await reader.WaitToReadAsync(timer.Token);
            }
            catch (OperationCanceledException)
            {
                await FlushAsync(batch);
                batch = new Batch();
            }
        }

        while (reader.TryRead(out var late))
        {
            Process(late, batch);
        }

        if (batch.MessageCount > 0)
        {
            await FlushAsync(batch);
        }

        timer.Dispose();
        batches.Writer.TryComplete();
        Log.Drained(logger);
    }

    private void Process(InboundMessage message, Batch batch)
    {
        var result = decoder.Decode(message.Topic, message.Payload, message.ReceivedAt);
        if (result.Message is { } decoded)
        {
            metrics.MessageAccepted();
            foreach (var observer in _observers)
            {
                try
                {
                    observer.Observe(decoded);
                }
                catch (Exception ex)
                {
                    Log.ObserverFailed(logger, observer.GetType().Name, ex);
                }
            }

            batch.AddAccepted(message, decoded.Points);
            return;
        }

        var rejection = result.Rejection!;
        metrics.MessageRejected(rejection.Reason);
        Log.Rejected(logger, message.Topic, rejection.Reason.Name(), rejection.Detail);
        batch.AddRejected(message, DeadLetter.Create(message.ReceivedAt, message.Topic, rejection.Reason.Name(), rejection.Detail, message.Payload));
    }

    private ValueTask FlushAsync(Batch batch) => batch.MessageCount == 0 ? ValueTask.CompletedTask : batches.Writer.WriteAsync(batch, CancellationToken.None);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Rejected {Topic}: {Reason}: {Detail}")]
        public static partial void Rejected(ILogger logger, string topic, string reason, string detail);

        [LoggerMessage(Level = LogLevel.Error, Message = "Observer {Observer} threw; the message is stored regardless")]
        public static partial void ObserverFailed(ILogger logger, string observer, Exception exception);

        [LoggerMessage(Level = LogLevel.Information, Message = "Batcher drained and stopped")]
        public static partial void Drained(ILogger logger);
    }
}
