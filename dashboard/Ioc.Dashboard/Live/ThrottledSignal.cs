using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Ioc.Dashboard.Live;

/// <summary>
/// Tells subscribers that something changed, at most once per <see cref="Interval"/>: a burst of changes
/// collapses into one call, so a component re-renders once for a hundred device updates.
/// </summary>
public sealed class ThrottledSignal : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly List<Subscription> _subscriptions = [];
    private readonly ITimer _timer;
    private bool _pending;

    public ThrottledSignal(TimeProvider time, ILogger logger)
    {
        _time = time;
        _logger = logger;
        _timer = _time.CreateTimer(static state => ((ThrottledSignal)state!).Fire(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public int SubscriberCount
    {
        get
        {
            lock (_gate)
            {
                return _subscriptions.Count;
            }
        }
    }

    /// <summary>Calls <paramref name="onChange"/> after changes; dispose the result to stop.</summary>
    public IDisposable Subscribe(Func<Task> onChange)
    {
        var subscription = new Subscription(this, onChange);
        lock (_gate)
        {
            _subscriptions.Add(subscription);
        }

        return subscription;
    }

    public void Notify()
    {
        lock (_gate)
        {
            if (_pending)
            {
                return;
            }

            _pending = true;
        }

        _timer.Change(Interval, Timeout.InfiniteTimeSpan);
    }

    public void Dispose() => _timer.Dispose();

    private void Fire()
    {
        Subscription[] targets;
        lock (_gate)
        {
            _pending = false;
            targets = [.. _subscriptions];
        }

        foreach (var target in targets)
        {
            _ = InvokeAsync(target);
        }
    }

    private async Task InvokeAsync(Subscription target)
    {
        // The timer fires on a pool thread with the process culture; the subscriber's component renders in its
        // circuit's culture (vi-VN or en-US), and InvokeAsync carries the culture of this flow into the render.
        CultureInfo.CurrentCulture = target.Culture;
        CultureInfo.CurrentUICulture = target.UICulture;
        try
        {
            await target.OnChange();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A component that went away (circuit closed) must not stop the others from hearing.
            Log.SubscriberFailed(_logger, ex);
        }
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate)
        {
            _subscriptions.Remove(subscription);
        }
    }

    private sealed class Subscription(ThrottledSignal owner, Func<Task> onChange) : IDisposable
    {
        public Func<Task> OnChange { get; } = onChange;

        public CultureInfo Culture { get; } = CultureInfo.CurrentCulture;

        public CultureInfo UICulture { get; } = CultureInfo.CurrentUICulture;

        public void Dispose() => owner.Remove(this);
    }
}
