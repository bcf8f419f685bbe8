using Microsoft.Extensions.Logging;

namespace Ioc.Dashboard.Live;

/// <summary>
/// Raised when the alert engine announces a change on <c>ioc/v1/_system/alerts/...</c> (or when this console changes an
/// alert itself): alert pages re-read their <see cref="Alerts.IAlertSource"/> on it, so they update without polling.
/// </summary>
public sealed class AlertAnnouncements : IDisposable
{
    public const string TopicFilter = "ioc/v1/_system/alerts/#";
    private readonly ThrottledSignal _signal;

    public AlertAnnouncements(TimeProvider time, ILogger<AlertAnnouncements> logger)
    {
        _signal = new ThrottledSignal(time, logger);
    }

    /// <summary>Severity of the last announced new alert, for the audible/visual cue; null when none.</summary>
    public string? LastAnnouncedSeverity { get; private set; }

    public long Version => Interlocked.Read(ref _version);

    private long _version;

    public IDisposable Subscribe(Func<Task> onChange) => _signal.Subscribe(onChange);

    public void Announce(string? severity = null)
    {
        if (severity is not null)
        {
            LastAnnouncedSeverity = severity;
        }

        Interlocked.Increment(ref _version);
        _signal.Notify();
    }

    public void Dispose() => _signal.Dispose();
}
