using System.Threading.Channels;
using Ioc.Alerting.Hosting;
using Ioc.Contract.Model;
using Ioc.Contract;
using Microsoft.Extensions.Logging;

namespace Ioc.Alerting.Engine;

/// <summary>
/// The engine's input queue. The collector's hook <see cref="Observe"/> only enqueues into a bounded channel and returns:
/// if the engine falls so far behind that the channel is full, the message is not evaluated; it is counted
/// (<see cref="Dropped"/>) and logged, never silently lost, and the collector's storage path is never slowed by alerting.
/// The evaluator's own subscription uses <see cref="EnqueueAsync"/> instead: it waits for room (backpressure to the
/// broker) and hands an acknowledgement that the engine calls once the message is evaluated and its alerts stored, so
/// a message is acknowledged to the broker only when its evaluation can no longer be lost.
/// </summary>
public sealed class AlertIntake : ITelemetryObserver
{
    private readonly Channel<IntakeItem> _channel;
    private readonly int _capacity;
    private readonly ILogger<AlertIntake> _logger;
    private long _dropped;
    private long _accepted;

    public AlertIntake(AlertingOptions options, ILogger<AlertIntake> logger)
    {
        _capacity = options.QueueCapacity;
        _logger = logger;
        _channel = Channel.CreateBounded<IntakeItem>(new BoundedChannelOptions(_capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
    }

    public ChannelReader<IntakeItem> Reader => _channel.Reader;

    public long Dropped => Interlocked.Read(ref _dropped);

    public long Accepted => Interlocked.Read(ref _accepted);

    public int Backlog => _channel.Reader.Count;

    public void Observe(DecodedMessage message)
    {
        if (_channel.Writer.TryWrite(new IntakeItem(message, null)))
        {
            Interlocked.Increment(ref _accepted);
            return;
        }

        var dropped = Interlocked.Increment(ref _dropped);
        if (dropped == 1 || dropped % 10_000 == 0)
        {
            Log.QueueFull(_logger, _capacity, dropped);
        }
    }

    /// <summary>Waits for room; <paramref name="acknowledge"/> runs after the engine has evaluated the message.</summary>
    public async ValueTask EnqueueAsync(DecodedMessage message, Func<ValueTask> acknowledge, CancellationToken cancellationToken)
    {
        await _channel.Writer.WriteAsync(new IntakeItem(message, acknowledge), cancellationToken);
        Interlocked.Increment(ref _accepted);
    }

    public void Complete() => _channel.Writer.TryComplete();
}

/// <summary>A message for the engine and, when it came from the evaluator's subscription, how to acknowledge it.</summary>
public readonly record struct IntakeItem(DecodedMessage Message, Func<ValueTask>? Acknowledge)
{
    public ValueTask AcknowledgeAsync() => Acknowledge?.Invoke() ?? ValueTask.CompletedTask;
}
