using System.Threading.Channels;
using Ioc.Alerting.Hosting;
using Ioc.Contract.Model;
using Ioc.Contract;
using Microsoft.Extensions.Logging;

namespace Ioc.Alerting.Engine;

/// <summary>
/// The collector's hook: <see cref="Observe"/> only enqueues into a bounded channel and returns. If the engine falls so
/// far behind that the channel is full, the message is not evaluated: it is counted (<see cref="Dropped"/>) and logged,
/// never silently lost, and the collector's storage path is never slowed by alerting.
/// </summary>
public sealed class AlertIntake : ITelemetryObserver
{
    private readonly Channel<DecodedMessage> _channel;
    private readonly int _capacity;
    private readonly ILogger<AlertIntake> _logger;
    private long _dropped;
    private long _accepted;

    public AlertIntake(AlertingOptions options, ILogger<AlertIntake> logger)
    {
        _capacity = options.QueueCapacity;
        _logger = logger;
        _channel = Channel.CreateBounded<DecodedMessage>(new BoundedChannelOptions(_capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
    }

    public ChannelReader<DecodedMessage> Reader => _channel.Reader;

    public long Dropped => Interlocked.Read(ref _dropped);

    public long Accepted => Interlocked.Read(ref _accepted);

    public int Backlog => _channel.Reader.Count;

    public void Observe(DecodedMessage message)
    {
        if (_channel.Writer.TryWrite(message))
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

    public void Complete() => _channel.Writer.TryComplete();
}
