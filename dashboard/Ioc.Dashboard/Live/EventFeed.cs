using Ioc.Contract.Model;
using Microsoft.Extensions.Logging;

namespace Ioc.Dashboard.Live;

/// <summary>The latest device events (auth failures, rogue APs, anomalies) and today's counts, kept in memory for the live pages.</summary>
public sealed class EventFeed : IDisposable
{
    public const int Capacity = 2000;
    private readonly Lock _gate = new();
    private readonly LinkedList<DeviceEvent> _recent = new();
    private readonly Dictionary<string, int> _byType = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _bySource = new(StringComparer.Ordinal);
    private readonly ThrottledSignal _signal;
    private readonly DashboardClock _clock;
    private DateOnly _day;

    public EventFeed(DashboardClock clock, TimeProvider time, ILogger<EventFeed> logger)
    {
        _clock = clock;
        _signal = new ThrottledSignal(time, logger);
        _day = clock.Today;
    }

    public IDisposable Subscribe(Func<Task> onChange) => _signal.Subscribe(onChange);

    /// <summary>Where an event came from: its <c>src_ip</c> attribute when it has one, else the device.</summary>
    public static string SourceOf(DeviceEvent e) =>
        e.Attributes.TryGetValue("src_ip", out var ip) && ip.Length > 0 ? ip : e.Device.DeviceId;

    public void Add(DeviceEvent e)
    {
        lock (_gate)
        {
            RollDay();
            _recent.AddFirst(e);
            if (_recent.Count > Capacity)
            {
                _recent.RemoveLast();
            }

            if (_clock.ToLocal(e.Timestamp).Date == _day.ToDateTime(TimeOnly.MinValue))
            {
                _byType[e.Type] = _byType.GetValueOrDefault(e.Type) + 1;
                var source = SourceOf(e);
                _bySource[source] = _bySource.GetValueOrDefault(source) + 1;
            }
        }

        _signal.Notify();
    }

    public IReadOnlyList<DeviceEvent> Recent(int limit)
    {
        lock (_gate)
        {
            return [.. _recent.Take(limit)];
        }
    }

    public int TodayTotal
    {
        get
        {
            lock (_gate)
            {
                RollDay();
                return _byType.Values.Sum();
            }
        }
    }

    public IReadOnlyList<KeyValuePair<string, int>> TodayByType()
    {
        lock (_gate)
        {
            RollDay();
            return [.. _byType.OrderByDescending(p => p.Value)];
        }
    }

    public IReadOnlyList<KeyValuePair<string, int>> TopSources(int limit)
    {
        lock (_gate)
        {
            RollDay();
            return [.. _bySource.OrderByDescending(p => p.Value).Take(limit)];
        }
    }

    public void Dispose() => _signal.Dispose();

    private void RollDay()
    {
        var today = _clock.Today;
        if (today != _day)
        {
            _day = today;
            _byType.Clear();
            _bySource.Clear();
        }
    }
}
