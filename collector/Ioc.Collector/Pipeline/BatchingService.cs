using Ioc.Collector.Configuration;
using Ioc.Collector.Diagnostics;
using Ioc.Contract;
using Ioc.Contract.Model;
using Ioc.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ioc.Collector.Pipeline;

/// <summary>
/// Decodes each received message against the contract, shows accepted ones to the observers (the alert engine in this
/// process) or, when they were received here and the engine reads the broker, to the <see cref="EvaluatorForwarder"/>,
/// and gathers messages into batches that are handed to the writer when full, when the oldest has waited
/// <see cref="CollectorOptions.BatchInterval"/>, or when the ingest queue has drained and a writer is free
/// (<see cref="CollectorOptions.FlushWhenDrained"/>). Runs until the ingest queue is completed, then flushes.
/// A decoder that throws costs the one message (dead-lettered as <c>decoder_fault</c>), never the stage.
/// </summary>
public sealed partial class BatchingService : BackgroundService
{
    private readonly IngestQueue _ingest;
    private readonly BatchQueue _batches;
    private readonly Func<InboundMessage, DecodeResult> _decode;
    private readonly CollectorMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<BatchingService> _logger;
    private readonly ITelemetryObserver[] _observers;
    private readonly EvaluatorForwarder? _forwarder;
    private readonly int _batchSize;
    private readonly TimeSpan _interval;
    private readonly bool _flushWhenDrained;
    private readonly int _writers;
    private readonly string _rateLimitedDetail;

    /// <summary>
    /// Accepted messages not yet shown to the observers. They are handed over as one span whenever the batcher stops
    /// reading (queue drained, batch full or due) or this many have gathered, so the alert engine's queue takes one write
    /// per run of messages instead of one per message, and a message waits at most a run's decoding for its evaluation.
    /// </summary>
    internal const int ObserverRun = 256;

    private readonly DecodedMessage[] _unobserved = new DecodedMessage[ObserverRun];
    private int _unobservedCount;

    public BatchingService(
        IngestQueue ingest,
        BatchQueue batches,
        MessageDecoder decoder,
        IEnumerable<ITelemetryObserver> observers,
        CollectorMetrics metrics,
        IOptions<CollectorOptions> options,
        TimeProvider time,
        ILogger<BatchingService> logger,
        DeviceAdmission? admission = null,
        EvaluatorForwarder? forwarder = null)
        : this(ingest, batches, message => admission?.Admit(decoder.Decode(message.Topic, message.Payload, message.ReceivedAt)) ?? decoder.Decode(message.Topic, message.Payload, message.ReceivedAt), observers, metrics, options, time, logger, forwarder)
    {
    }

    /// <summary>With the decode step given as a function: the seam the tests use to make it throw.</summary>
    internal BatchingService(
        IngestQueue ingest,
        BatchQueue batches,
        Func<InboundMessage, DecodeResult> decode,
        IEnumerable<ITelemetryObserver> observers,
        CollectorMetrics metrics,
        IOptions<CollectorOptions> options,
        TimeProvider time,
        ILogger<BatchingService> logger,
        EvaluatorForwarder? forwarder = null)
    {
        _ingest = ingest;
        _batches = batches;
        _decode = decode;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _observers = observers.ToArray();
        _forwarder = forwarder;
        _batchSize = options.Value.BatchSize;
        _interval = options.Value.BatchInterval;
        _flushWhenDrained = options.Value.FlushWhenDrained;
        _writers = options.Value.WriteConcurrency;
        _rateLimitedDetail = $"device over Ioc:Collector:DeviceRateLimit ({options.Value.DeviceRateLimit} msg/s, burst {options.Value.DeviceBurst}); one dead letter per device per second is kept as a sample, the rest are only counted";
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var reader = _ingest.Reader;
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

                batch.OpenedAt = _time.GetUtcNow();
            }

            while (batch.MessageCount < _batchSize && reader.TryRead(out var message))
            {
                Process(message, batch);
            }

            ShowObservers();

            var remaining = batch.OpenedAt + _interval - _time.GetUtcNow();
            if (batch.MessageCount >= _batchSize || remaining <= TimeSpan.Zero)
            {
                await FlushAsync(batch);
                batch = new Batch();
                continue;
            }

            // The queue is drained. With a writer free, write now: light load is stored as it comes. With every writer
            // busy, keep filling until one is free (or the batch is full or due): heavy load still goes in big batches.
            Task? writerFree = null;
            if (_flushWhenDrained)
            {
                if (_batches.Unfinished < _writers)
                {
                    await FlushAsync(batch);
                    batch = new Batch();
                    continue;
                }

                // Every writer busy: ask to be woken, then look again, so a writer finishing in between is not missed.
                writerFree = _batches.NextFinished();
                if (_batches.Unfinished < _writers)
                {
                    await FlushAsync(batch);
                    batch = new Batch();
                    continue;
                }
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
                var more = reader.WaitToReadAsync(timer.Token);
                if (writerFree is null || more.IsCompleted)
                {
                    open = await more;
                }
                else
                {
                    var waiting = more.AsTask();
                    if (await Task.WhenAny(waiting, writerFree) != waiting)
                    {
                        // A writer is free: end the wait as if the batch were due, and write it.
                        await timer.CancelAsync();
                    }

                    open = await waiting;
                }
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

        ShowObservers();

        if (batch.MessageCount > 0)
        {
            await FlushAsync(batch);
        }

        timer.Dispose();
        _batches.Writer.TryComplete();
        Log.Drained(_logger);
    }

    private void Process(InboundMessage message, Batch batch)
    {
        if (message.RateLimited)
        {
            // Counted at the ingress with every other refused message of the flood; this one is the second's sample.
            batch.AddRejected(message, DeadLetter.Create(message.ReceivedAt, message.Topic, RejectReason.RateLimited.Name(), _rateLimitedDetail, message.Payload));
            return;
        }

        DecodeResult result;
        try
        {
            result = _decode(message);
        }
        catch (Exception ex)
        {
            // The decoder is meant never to throw. If it does, this one message is refused and acknowledged like any
            // dead letter: left unacknowledged, the broker would hand it back after a restart and stop us again.
            _metrics.MessageRejected(RejectReason.DecoderFault);
            Log.DecoderFault(_logger, message.Topic, message.Payload.Length, ex);
            var detail = $"the decoder threw {ex.GetType().Name}: {ex.Message}";
            batch.AddRejected(message, DeadLetter.Create(message.ReceivedAt, message.Topic, RejectReason.DecoderFault.Name(), detail, message.Payload));
            return;
        }

        if (result.Message is { } decoded)
        {
            _metrics.MessageAccepted();
            if (_observers.Length > 0)
            {
                _unobserved[_unobservedCount++] = decoded;
                if (_unobservedCount == ObserverRun)
                {
                    ShowObservers();
                }
            }

            // Received here (syslog, SNMP) and evaluated by another process: hand it to that process through the broker.
            _forwarder?.Forward(message);
            batch.AddAccepted(message, decoded.Points);
            return;
        }

        var rejection = result.Rejection!;
        _metrics.MessageRejected(rejection.Reason);
        Log.Rejected(_logger, message.Topic, rejection.Reason.Name(), rejection.Detail);
        batch.AddRejected(message, DeadLetter.Create(message.ReceivedAt, message.Topic, rejection.Reason.Name(), rejection.Detail, message.Payload));
    }

    /// <summary>Hands the accepted messages gathered since the last call to every observer, in arrival order.</summary>
    private void ShowObservers()
    {
        if (_unobservedCount == 0)
        {
            return;
        }

        var run = new ReadOnlySpan<DecodedMessage>(_unobserved, 0, _unobservedCount);
        foreach (var observer in _observers)
        {
            try
            {
                observer.Observe(run);
            }
            catch (Exception ex)
            {
                Log.ObserverFailed(_logger, observer.GetType().Name, ex);
            }
        }

        Array.Clear(_unobserved, 0, _unobservedCount);
        _unobservedCount = 0;
    }

    private ValueTask FlushAsync(Batch batch) => batch.MessageCount == 0 ? ValueTask.CompletedTask : _batches.AddAsync(batch);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Rejected {Topic}: {Reason}: {Detail}")]
        public static partial void Rejected(ILogger logger, string topic, string reason, string detail);

        [LoggerMessage(Level = LogLevel.Error, Message = "Decoder threw on a message from {Topic} ({Bytes} bytes); it is dead-lettered as decoder_fault and acknowledged, and ingestion goes on. This is a bug in the decoder: report it with the dead letter")]
        public static partial void DecoderFault(ILogger logger, string topic, int bytes, Exception exception);

        [LoggerMessage(Level = LogLevel.Error, Message = "Observer {Observer} threw; the messages it was shown are stored regardless")]
        public static partial void ObserverFailed(ILogger logger, string observer, Exception exception);

        [LoggerMessage(Level = LogLevel.Information, Message = "Batcher drained and stopped")]
        public static partial void Drained(ILogger logger);
    }
}
