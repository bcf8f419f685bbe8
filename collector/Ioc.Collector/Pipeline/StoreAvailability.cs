namespace Ioc.Collector.Pipeline;

/// <summary>
/// Whether the store is taking writes. Once a write fails, new batches go straight to the spool (in order, behind
/// what is already there) until the replayer gets one through; that replay is also the probe that notices recovery.
/// </summary>
public sealed class StoreAvailability
{
    private volatile bool _down;

    public bool IsDown => _down;

    public DateTimeOffset? DownSince { get; private set; }

    public string? LastError { get; private set; }

    public void MarkDown(string error, DateTimeOffset now)
    {
        LastError = error;
        if (!_down)
        {
            DownSince = now;
            _down = true;
        }
    }

    public void MarkUp()
    {
        _down = false;
        DownSince = null;
    }
}
