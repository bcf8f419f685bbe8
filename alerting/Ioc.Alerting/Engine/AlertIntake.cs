using System.Buffers;
using System.Threading.Channels;
using Ioc.Alerting.Hosting;
using Ioc.Contract.Model;
using Ioc.Contract;
using Microsoft.Extensions.Logging;

namespace Ioc.Alerting.Engine;

/// <summary>
/// The engine's input queue. The collector's hook <see cref="Observe(ReadOnlySpan{DecodedMessage})"/> only enqueues and
/// returns: a run of messages from the batcher is copied into one pooled array and written to the channel once (the
/// channel's lock is taken once per run, not once per message). If the engine falls so far behind that
/// <see cref="AlertingOptions.QueueCapacity"/> messages wait, the rest of a run is not evaluated; it is counted
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

    /// <summary>Messages written and not yet taken by the engine (a run counts as its length).</summary>
    private int _backlog;

    public AlertIntake(AlertingOptions options, ILogger<AlertIntake> logger)
    {
        _capacity = options.QueueCapacity;
        _logger = logger;
        // Bounded in items for the waiting writer (EnqueueAsync, one message per item); runs are bounded by _backlog.
        _channel = Channel.CreateBounded<IntakeItem>(new BoundedChannelOptions(_capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
    }

    public long Dropped => Interlocked.Read(ref _dropped);

    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Messages waiting for the engine.</summary>
    public int Backlog => Volatile.Read(ref _backlog);

    public void Observe(DecodedMessage message) => Observe(new ReadOnlySpan<DecodedMessage>(in message));

    public void Observe(ReadOnlySpan<DecodedMessage> messages)
    {
        if (messages.IsEmpty)
        {
            return;
        }

        // Take room for the run; what does not fit is dropped from its end, so what is evaluated stays in order.
        var after = Interlocked.Add(ref _backlog, messages.Length);
        var over = Math.Clamp(after - _capacity, 0, messages.Length);
        if (over > 0)
        {
            Interlocked.Add(ref _backlog, -over);
        }

        var taken = messages.Length - over;
        if (taken > 0 && !Write(messages[..taken]))
        {
            Interlocked.Add(ref _backlog, -taken);
            over += taken;
            taken = 0;
        }

        Interlocked.Add(ref _accepted, taken);
        if (over > 0)
        {
            var before = Interlocked.Add(ref _dropped, over) - over;
            if (before == 0 || (before + over) / 10_000 > before / 10_000)
            {
                Log.QueueFull(_logger, _capacity, before + over);
            }
        }
    }

    /// <summary>Waits for room; <paramref name="acknowledge"/> runs after the engine has evaluated the message.</summary>
    public async ValueTask EnqueueAsync(DecodedMessage message, Func<ValueTask> acknowledge, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _backlog);
        try
        {
            await _channel.Writer.WriteAsync(IntakeItem.One(message, acknowledge), cancellationToken);
        }
        catch
        {
            Interlocked.Decrement(ref _backlog);
            throw;
        }

        Interlocked.Increment(ref _accepted);
    }

    /// <summary>Completes when there is something to take, or with <c>false</c> once the intake is completed and empty.</summary>
    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken) => _channel.Reader.WaitToReadAsync(cancellationToken);

    /// <summary>Takes the next item (one message or a run); the engine calls <see cref="IntakeItem.Release"/> when done with it.</summary>
    public bool TryRead(out IntakeItem item)
    {
        if (!_channel.Reader.TryRead(out item))
        {
            return false;
        }

        Interlocked.Add(ref _backlog, -item.Count);
        return true;
    }

    public void Complete() => _channel.Writer.TryComplete();

    private bool Write(ReadOnlySpan<DecodedMessage> run)
    {
        if (run.Length == 1)
        {
            return _channel.Writer.TryWrite(IntakeItem.One(run[0], null));
        }

        var array = ArrayPool<DecodedMessage>.Shared.Rent(run.Length);
        run.CopyTo(array);
        if (_channel.Writer.TryWrite(new IntakeItem(null, array, run.Length, null)))
        {
            return true;
        }

        ArrayPool<DecodedMessage>.Shared.Return(array, clearArray: true);
        return false;
    }
}

/// <summary>
/// One message (with, when it came from the evaluator's subscription, how to acknowledge it) or a run of messages from
/// the collector's batcher in a pooled array (<see cref="Run"/>, the first <see cref="Count"/> entries).
/// </summary>
public readonly record struct IntakeItem(DecodedMessage? Message, DecodedMessage[]? Run, int Count, Func<ValueTask>? Acknowledge)
{
    public static IntakeItem One(DecodedMessage message, Func<ValueTask>? acknowledge) => new(message, null, 1, acknowledge);

    public ValueTask AcknowledgeAsync() => Acknowledge?.Invoke() ?? ValueTask.CompletedTask;

    /// <summary>Gives a run's array back to the pool; the item must not be used afterwards.</summary>
    public void Release()
    {
        if (Run is { } run)
        {
            ArrayPool<DecodedMessage>.Shared.Return(run, clearArray: true);
        }
    }
}
