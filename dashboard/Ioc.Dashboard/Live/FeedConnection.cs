using Microsoft.Extensions.Logging;

namespace Ioc.Dashboard.Live;

/// <summary>Whether the live feed is connected to the broker, shown in the app bar.</summary>
public sealed class FeedConnection : IDisposable
{
    private readonly ThrottledSignal _signal;
    private readonly TimeProvider _time;

    public FeedConnection(TimeProvider time, ILogger<FeedConnection> logger)
    {
        _time = time;
        _signal = new ThrottledSignal(time, logger);
    }

    public bool IsConnected { get; private set; }

    public DateTimeOffset? Since { get; private set; }

    /// <summary>Messages received since start: lets an operator see the feed is alive.</summary>
    public long MessagesReceived => Interlocked.Read(ref _messages);

    private long _messages;

    public IDisposable Subscribe(Func<Task> onChange) => _signal.Subscribe(onChange);

    public void Set(bool connected)
    {
        if (IsConnected == connected && Since is not null)
        {
            return;
        }

        IsConnected = connected;
        Since = _time.GetUtcNow();
        _signal.Notify();
    }

    public void CountMessage() => Interlocked.Increment(ref _messages);

    public void Dispose() => _signal.Dispose();
}
