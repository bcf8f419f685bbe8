using System.ComponentModel;
using Ioc.Contract.Alerts;
using Microsoft.Extensions.Logging;

namespace Ioc.Dashboard.Live;

/// <summary>
/// Tells alert pages that the engine changed an alert or a silence took effect, from the engine's change feed
/// (<see cref="IAlertChanges"/>: the engine's in-process feed, or the store's across processes). Throttled: a burst of
/// changes (a district going down) collapses into one re-read. Remembers the last newly fired alert for the cue.
/// </summary>
public sealed class AlertAnnouncements : IDisposable
{
    private readonly ThrottledSignal _signal;
    private readonly IDisposable? _subscription;
    private long _version;
    private AlertChange? _lastFired;

    public AlertAnnouncements(TimeProvider time, ILogger<AlertAnnouncements> logger, IAlertChanges? changes = null)
    {
        _signal = new ThrottledSignal(time, logger);
        _subscription = changes?.Subscribe(OnAlert);
    }

    /// <summary>The last alert announced as newly fired (for the audible/visual cue); null when none yet.</summary>
    public AlertChange? LastFired => Volatile.Read(ref _lastFired);

    /// <summary>How many changes were heard; a page can tell whether anything happened since it last looked.</summary>
    public long Version => Interlocked.Read(ref _version);

    public IDisposable Subscribe(Func<Task> onChange) => _signal.Subscribe(onChange);

    public void Dispose()
    {
        _subscription?.Dispose();
        _signal.Dispose();
    }

    private void OnAlert(AlertChange change)
    {
        if (change.Kind == AlertChangeKind.Fired)
        {
            Volatile.Write(ref _lastFired, change);
        }

        Interlocked.Increment(ref _version);
        _signal.Notify();
    }
}
