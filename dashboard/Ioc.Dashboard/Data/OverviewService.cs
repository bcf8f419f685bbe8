using Ioc.Alerting.Rules;
using Ioc.Contract;
using Ioc.Contract.Alerts;
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
    private static readonly TimeSpan SecurityCacheFor = TimeSpan.FromSeconds(10);
    private (DateTimeOffset At, IReadOnlyList<SeriesBucket> Trend)? _cached;
    private (DateTimeOffset At, IReadOnlyList<KeyValuePair<string, int>> ByType)? _security;

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

    /// <summary>Security events (<see cref="EventTypes.Security"/>) stored in the last hour, by event type, most frequent first (cached 10 s: a burst of events costs one query).</summary>
    public async Task<IReadOnlyList<KeyValuePair<string, int>>> SecurityLastHourAsync(CancellationToken cancellationToken)
    {
        var now = _clock.UtcNow;
        if (_security is { } s && now - s.At < SecurityCacheFor)
        {
            return s.ByType;
        }

        var points = await _store.QueryAsync(new PointQuery(Measurements.Event, now.AddHours(-1), now.AddMinutes(1)) { Limit = 100_000 }, cancellationToken);
        IReadOnlyList<KeyValuePair<string, int>> byType = [.. points
            .Select(p => p.Tags.FirstOrDefault(t => t.Key == TagNames.EventType).Value ?? "?")
            .Where(EventTypes.Security.Contains)
            .GroupBy(t => t, StringComparer.Ordinal)
            .Select(g => new KeyValuePair<string, int>(g.Key, g.Count()))
            .OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)];
        _security = (now, byType);
        return byType;
    }

    public double UptimeTarget => _options.UptimeTarget;

    public string DataCenterSite => _options.DataCenterSite;

    public string WifiClientsMetric => _options.WifiClientsMetric;

    /// <summary>The shipped rule ids, used when the engine does not list its rules (an engine reached over HTTP, tests).</summary>
    public const string DefaultDistrictRule = "district-down";

    public const string DefaultDeviceOfflineRule = "device-offline";

    /// <summary>
    /// Each district's devices and health as the wall shows them. "Offline" is the alert engine's definition, the one its
    /// district-down rule counts: a device is offline while it has an open alert of the composite rule's child rule
    /// (<c>device-offline</c>: last will, or no message for <c>missed</c> × <c>interval</c>). Without an engine it is the
    /// device's last reported status. Online: reporting online and not offline by that definition. See docs/geography.md.
    /// </summary>
    public static IReadOnlyList<DistrictStatus> DistrictStatuses(IReadOnlyList<DeviceRow> rows, IReadOnlyList<Alert>? openAlerts, IReadOnlyList<AlertRule> rules)
    {
        var (districtRules, _) = DistrictRules(rules);
        var isOffline = OfflineTest(openAlerts, rules);
        var offlineAlerts = OfflineAlerts(openAlerts, rules);
        var alerts = openAlerts ?? [];
        var result = new List<DistrictStatus>(Province.Districts.Count);
        foreach (var district in Province.Districts)
        {
            var mine = alerts.Where(a => DistrictOf(a) == district.Slug).ToList();
            var devices = rows.Where(r => r.Device.DistrictSlug == district.Slug).ToList();
            var known = devices.Select(r => Key(r)).ToHashSet();

            // An open device-offline alert for a device the directory does not list still counts (as the engine counts it).
            var offline = devices.Count(isOffline) + (openAlerts is null ? 0 : offlineAlerts.Count(k => !known.Contains(k) && Province.DistrictOf(k.Site)?.Slug == district.Slug));
            var online = devices.Count(r => r.IsOnline && !isOffline(r));
            var reporting = devices.Count(r => r.Live is not null) + offline;
            var down = mine.FirstOrDefault(a => districtRules.Contains(a.RuleId));
            var worst = mine.Where(a => !districtRules.Contains(a.RuleId)).Select(a => (AlertSeverity?)a.Severity).Max();
            result.Add(new DistrictStatus(district, online, offline, Math.Max(devices.Count, online + offline), reporting, worst, down));
        }

        return result;
    }

    /// <summary>Online/offline/total per site (commune or district hub), by the same definition of offline, for the map's points.</summary>
    public static IReadOnlyList<SiteStatus> SiteStatuses(IReadOnlyList<DeviceRow> rows, IReadOnlyList<Alert>? openAlerts, IReadOnlyList<AlertRule> rules)
    {
        var isOffline = OfflineTest(openAlerts, rules);
        return [.. rows.Where(r => r.Device.DistrictSlug is not null)
            .GroupBy(r => (District: r.Device.DistrictSlug!, r.Device.Address.Site))
            .OrderBy(g => g.Key.Site, StringComparer.Ordinal)
            .Select(g => new SiteStatus(g.Key.Site, g.Key.District, g.Count(r => r.IsOnline && !isOffline(r)), g.Count(isOffline), g.Count()))];
    }

    /// <summary>
    /// The one test of "offline" for every figure of the wall: with an alert engine, an open alert of the rule the
    /// district-down composite counts; without one, the device's last reported status.
    /// </summary>
    public static Func<DeviceRow, bool> OfflineTest(IReadOnlyList<Alert>? openAlerts, IReadOnlyList<AlertRule> rules)
    {
        if (openAlerts is null)
        {
            return r => r.IsOffline;
        }

        var offline = OfflineAlerts(openAlerts, rules);
        return r => offline.Contains(Key(r));
    }

    private static HashSet<(string Site, string Device)> OfflineAlerts(IReadOnlyList<Alert>? openAlerts, IReadOnlyList<AlertRule> rules)
    {
        var (_, childRules) = DistrictRules(rules);
        return [.. (openAlerts ?? []).Where(a => childRules.Contains(a.RuleId)).Select(a => (a.Site ?? string.Empty, a.DeviceId ?? a.SubjectKey))];
    }

    private static (string Site, string Device) Key(DeviceRow row) => (row.Device.Address.Site, row.Device.Address.DeviceId);

    /// <summary>The district-level composite rules and the device rules they count (the shipped ids when the engine lists no rules).</summary>
    private static (HashSet<string> District, HashSet<string> Child) DistrictRules(IReadOnlyList<AlertRule> rules)
    {
        var composites = rules.Where(r => r.Kind == RuleKind.Composite && r.GroupLevel == GroupLevel.District && r.ChildRuleId is not null).ToList();
        return composites.Count == 0
            ? (new HashSet<string>([DefaultDistrictRule], StringComparer.Ordinal), new HashSet<string>([DefaultDeviceOfflineRule], StringComparer.Ordinal))
            : (composites.Select(r => r.Id).ToHashSet(StringComparer.Ordinal), composites.Select(r => r.ChildRuleId!).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>The hottest rack inlet of the data center now (its env sensors' <paramref name="metric"/>), or null with none reporting.</summary>
    public static double? DataCenterTemperature(IReadOnlyList<DeviceRow> rows, string dataCenterSite, string metric)
    {
        double? hottest = null;
        foreach (var row in rows)
        {
            if (row.Device.Address.Site == dataCenterSite && row.Device.Address.DeviceType == DeviceTypes.EnvironmentSensor && row.IsOnline
                && row.Live?.Metrics.TryGetValue(metric, out var value) == true && value.IsNumeric)
            {
                hottest = Math.Max(hottest ?? double.MinValue, value.AsDouble());
            }
        }

        return hottest;
    }

    private static string? DistrictOf(Alert alert) =>
        alert.District is { Length: > 0 } d ? d
        : alert.SubjectKey.StartsWith("district:", StringComparison.Ordinal) ? alert.SubjectKey["district:".Length..]
        : alert.Site is { Length: > 0 } site ? Province.DistrictOf(site)?.Slug
        : null;

    /// <summary>
    /// Devices online at the end of each of <paramref name="buckets"/> equal slices of [from, to), starting with the first
    /// slice in which any device is known: no zero-filled stretch before the history begins.
    /// </summary>
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

            if (states.Count == 0)
            {
                continue;
            }

            var online = states.Values.Count(s => s == DeviceState.Online);
            result.Add(new SeriesBucket(from + width * i, online, online, online, states.Count));
        }

        return result;
    }
}

public enum WallHealth
{
    Unknown,
    Ok,
    Degraded,
    Down,
}

/// <summary>
/// A district on the wall. <see cref="Online"/> counts devices reporting online and not offline; <see cref="Offline"/>
/// uses the engine's definition (see <see cref="OverviewService.DistrictStatuses"/>), the same the district-down alert
/// counts. <see cref="Health"/>: down while a district-down incident is open, or with 10 % or more of its devices offline,
/// or with an open critical alert; degraded with more than 2 % offline or an open major alert; unknown with no reporting
/// device; ok otherwise. The colour, the offline figure and the alert therefore never tell different stories.
/// </summary>
public sealed record DistrictStatus(District District, int Online, int Offline, int Total, int Reporting, AlertSeverity? WorstOpen, Alert? DistrictDown)
{
    public double OnlineRatio => Total == 0 ? 0 : (double)Online / Total;

    public double OfflineRatio => Total == 0 ? 0 : (double)Offline / Total;

    public WallHealth Health =>
        DistrictDown is not null ? WallHealth.Down
        : Reporting == 0 ? WallHealth.Unknown
        : OfflineRatio >= 0.10 || WorstOpen >= AlertSeverity.Critical ? WallHealth.Down
        : OfflineRatio > 0.02 || WorstOpen >= AlertSeverity.Major ? WallHealth.Degraded
        : WallHealth.Ok;
}

/// <summary>A site (commune, or the district's own hub) on the map.</summary>
public sealed record SiteStatus(string Site, string District, int Online, int Offline, int Total)
{
    public WallHealth Health =>
        Online + Offline == 0 ? WallHealth.Unknown
        : Offline == 0 && Online == Total ? WallHealth.Ok
        : Online == 0 ? WallHealth.Down
        : WallHealth.Degraded;
}
