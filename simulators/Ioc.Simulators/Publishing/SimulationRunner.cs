using Ioc.Simulators.Generation;
using Microsoft.Extensions.Logging;

namespace Ioc.Simulators.Publishing;

/// <summary>When a run ends on its own: after a wall-clock duration, after a number of messages, or never (null).</summary>
public sealed record RunLimits(TimeSpan? Duration = null, long? MaxMessages = null)
{
    public static RunLimits None { get; } = new();
}

/// <summary>
/// Drives a <see cref="MessageGenerator"/> against a sink: each message leaves when the clock reaches its simulated
/// time (a run that starts in the past catches up as fast as the rate allows), never faster than the token bucket,
/// with a bounded number of publishes awaiting their PUBACK.
/// </summary>
public sealed partial class SimulationRunner
{
    private readonly MessageGenerator _generator;
    private readonly IMessageSink _sink;
    private readonly SimulatorStats _stats;
    private readonly TimeProvider _time;
    private readonly TokenBucket? _bucket;
    private readonly int _maxInFlight;
    private readonly ILogger _logger;
    private int _failureReported;

    public SimulationRunner(MessageGenerator generator, IMessageSink sink, SimulatorStats stats, TimeProvider time, double ratePerSecond, ILogger logger, int maxInFlight = 1024)
    {
        _generator = generator;
        _sink = sink;
        _stats = stats;
        _time = time;
        _bucket = ratePerSecond > 0 ? new TokenBucket(ratePerSecond, time) : null;
        _maxInFlight = Math.Max(1, maxInFlight);
        _logger = logger;
    }

    public async Task RunAsync(RunLimits limits, CancellationToken cancellationToken)
    {
        using var deadline = limits.Duration is { } duration ? new CancellationTokenSource(duration, _time) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var token = linked.Token;
        using var inFlight = new SemaphoreSlim(_maxInFlight, _maxInFlight);
        var buffer = new List<SimMessage>(4096);
        long issued = 0;
        try
        {
            while (!token.IsCancellationRequested)
            {
                buffer.Clear();
                _generator.Step(buffer);
                foreach (var message in buffer)
                {
                    if (limits.MaxMessages is { } max && issued >= max)
                    {
                        return;
                    }

                    var early = message.At - _time.GetUtcNow();
                    if (early > TimeSpan.FromMilliseconds(2))
                    {
                        await Task.Delay(early, _time, token);
                    }

                    if (_bucket is not null)
                    {
                        await _bucket.TakeAsync(token);
                    }

                    await inFlight.WaitAsync(token);
                    issued++;
                    _stats.RecordSimulatedTime(message.At);
                    _ = PublishAsync(message, inFlight, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The run's duration is over.
        }
        finally
        {
            await DrainAsync(inFlight);
        }
    }

    private async Task PublishAsync(SimMessage message, SemaphoreSlim inFlight, CancellationToken cancellationToken)
    {
        try
        {
            await _sink.PublishAsync(message, cancellationToken);
            _stats.RecordSent(message);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _stats.RecordFailed();
            if (!cancellationToken.IsCancellationRequested)
            {
                if (Interlocked.Exchange(ref _failureReported, 1) == 0)
                {
                    LogFirstPublishFailure(_logger, message.Topic, ex.Message);
                }
                else
                {
                    LogPublishFailed(_logger, message.Topic, ex.Message);
                }
            }
        }
        finally
        {
            inFlight.Release();
        }
    }

    private async Task DrainAsync(SemaphoreSlim inFlight)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            for (var i = 0; i < _maxInFlight; i++)
            {
                await inFlight.WaitAsync(timeout.Token);
            }
        }
        catch (OperationCanceledException)
        {
            LogDrainTimedOut(_logger, _maxInFlight - inFlight.CurrentCount);
        }
    }

    [LoggerMessage(EventId = 3100, Level = LogLevel.Warning, Message = "Publishing {Topic} failed: {Reason} (further failures are counted and logged at Debug)")]
    private static partial void LogFirstPublishFailure(ILogger logger, string topic, string reason);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Debug, Message = "Publishing {Topic} failed: {Reason}")]
    private static partial void LogPublishFailed(ILogger logger, string topic, string reason);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "{Pending} publishes were still unacknowledged when the run ended")]
    private static partial void LogDrainTimedOut(ILogger logger, int pending);
}
