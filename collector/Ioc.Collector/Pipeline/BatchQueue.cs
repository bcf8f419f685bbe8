using System.Threading.Channels;

namespace Ioc.Collector.Pipeline;

/// <summary>
/// Batches waiting for the writer; small, so the batcher fills the next batch while one is written. Counts the batches
/// handed over and not yet finished (queued or being written), so the batcher can tell whether a writer is free.
/// </summary>
public sealed class BatchQueue
{
    private readonly Channel<Batch> _channel = Channel.CreateBounded<Batch>(new BoundedChannelOptions(4)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = false,
        SingleWriter = true,
    });

    private int _unfinished;
    private TaskCompletionSource? _finished;

    public ChannelWriter<Batch> Writer => _channel.Writer;

    public ChannelReader<Batch> Reader => _channel.Reader;

    public int Count => _channel.Reader.Count;

    /// <summary>Batches handed to the writers by <see cref="AddAsync"/> and not yet <see cref="Finished"/>.</summary>
    public int Unfinished => Volatile.Read(ref _unfinished);

    /// <summary>Hands a batch to the writers (waits while the queue is full).</summary>
    public ValueTask AddAsync(Batch batch)
    {
        Interlocked.Increment(ref _unfinished);
        return _channel.Writer.WriteAsync(batch, CancellationToken.None);
    }

    /// <summary>A writer is done with a batch (stored, spooled or left at stop): wakes the batcher if it waits for a free writer.</summary>
    public void Finished()
    {
        Interlocked.Decrement(ref _unfinished);
        Interlocked.Exchange(ref _finished, null)?.TrySetResult();
    }

    /// <summary>Completes when the next batch is <see cref="Finished"/>. Ask before checking <see cref="Unfinished"/>, so no wake-up is lost between the two.</summary>
    public Task NextFinished()
    {
        var next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _finished, next);
        return next.Task;
    }
}
