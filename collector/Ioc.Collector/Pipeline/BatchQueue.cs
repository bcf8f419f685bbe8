using System.Threading.Channels;

namespace Ioc.Collector.Pipeline;

/// <summary>Batches waiting for the writer; small, so the batcher fills the next batch while one is written.</summary>
public sealed class BatchQueue
{
    private readonly Channel<Batch> _channel = Channel.CreateBounded<Batch>(new BoundedChannelOptions(4)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = false,
        SingleWriter = true,
    });

    public ChannelWriter<Batch> Writer => _channel.Writer;

    public ChannelReader<Batch> Reader => _channel.Reader;

    public int Count => _channel.Reader.Count;
}
