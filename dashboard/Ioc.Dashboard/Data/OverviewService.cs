using Ioc.Contract;
using Ioc.Contract.Model;
using Ioc.Storage;
using Ioc.Dashboard.Configuration;
using Microsoft.Extensions.Options;

namespace Ioc.Dashboard.Data;

/// <summary>The slower figures of the overview (computed from history), cached briefly so a wall of screens costs one query.</summary>
public sealed class OverviewService
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(60);
    private readonly DataCenterStatus _dataCenter;
    private readonly TelemetryHistory _history;
    private readonly ITelemetryStore _store;
    private readonly DashboardClock _clock;
    private readonly DashboardOptions _options;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (DateTimeOffset At, IReadOnlyList<SeriesBucket> Trend)? _cached;

    public OverviewService(DataCenterStatus dataCenter, TelemetryHistory history, ITelemetryStore store, DashboardClock clock, IOptions<DashboardOptions> options)
    {
        _dataCenter = dataCenter;
        _history = history;
        _store = store;
        _clock = clock;
        _options = options.Value;
    }

    /// <summary>
    /// Data-center availability now (<see cref="DataCenterStatus"/>: devices up and not under an open critical alert;
    /// never cached), and devices online per hour over the last 24 h.
    /// </summary>
    public async Task<(double? DataCenterAvailability, IReadOnlyList<SeriesBucket> OnlineTrend)> SlowFiguresAsync(CancellationToken cancellationToken)
    {
        var availability = (await _dataCenter.AvailabilityAsync(cancellationToken)).Percent;
        var now = _clock.UtcNow;
        if (_cached is { } c && now - c.At < CacheFor)
        {
            return (availability, c.Trend);
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var from = now.AddHours(-24);
            var initial = await _history.StatusAtAsync(from, TimeSpan.FromDays(60), cancellationToken);
            var changes = await _history.StatusChangesAsync(null, null, from, now, cancellationToken);
            var trend = OnlineTrend(initial, changes, from, now, 24);
            _cached = (now, trend);
            return (availability, trend);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Security events stored since local midnight.</summary>
    public Task<long> EventsTodayAsync(CancellationToken cancellationToken) =>
        _store.CountAsync(new PointQuery(Measurements.Event, _clock.StartOfToday, _clock.UtcNow.AddMinutes(1)), cancellationToken);

    public double UptimeTarget => _options.UptimeTarget;

    /// <summary>Devices online at the end of each of <paramref name="buckets"/> equal slices of [from, to).</summary>
    internal static IReadOnlyList<SeriesBucket> OnlineTrend(IReadOnlyDictionary<string, DeviceState> initial, IReadOnlyList<StatusChange> changes, DateTimeOffset from, DateTimeOffset to, int buckets)
    {
        var states = new Dictionary<string, DeviceState>(initial, StringComparer.Ordinal);
        var ordered = changes.OrderBy(c => c.At).ToList();
        var width = (to - from) / buckets;
        var result = new List<SeriesBucket>(buckets);
        var index = 0;
        for (var i = 0; i < buckets; i++)
        {
            var end = from + width * (i + 1);
            while (index < ordered.Count && ordered[index].At < end)
            {
                states[ordered[index].Device.ToString()] = ordered[index].State;
                index++;
            }

            var online = states.Values.Count(s => s == DeviceState.Online);
            result.Add(new SeriesBucket(from + width * i, online, online, online, states.Count));
        }

        return result;
    }
}
