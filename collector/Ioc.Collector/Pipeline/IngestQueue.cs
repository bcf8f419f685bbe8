using System.Threading.Channels;
using Ioc.Collector.Configuration;
using Microsoft.Extensions.Options;

namespace Ioc.Collector.Pipeline;

/// <summary>The bounded queue between the MQTT connections and the batcher. Full means wait: nothing is dropped.</summary>
public sealed class IngestQueue
{
    private readonly Channel<InboundMessage> _channel;

    public IngestQueue(IOptions<CollectorOptions> options)
    {
        _channel = Channel.CreateBounded<InboundMessage>(new BoundedChannelOptions(options.Value.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
    }

    public ChannelWriter<InboundMessage> Writer => _channel.Writer;

    public ChannelReader<InboundMessage> Reader => _channel.Reader;

    public int Count => _channel.Reader.Count;
}
