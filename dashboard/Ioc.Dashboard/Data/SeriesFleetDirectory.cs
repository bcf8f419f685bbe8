using Ioc.Contract;
using Ioc.Storage;
using Microsoft.Extensions.Logging;

namespace Ioc.Dashboard.Data;

/// <summary>
/// The fleet as the telemetry store knows it: the site/device/type of every stored series, listed through
/// <see cref="ITelemetryStore.ListSeriesAsync"/> (the same code for SQLite and InfluxDB). Cached for a short time;
/// when the store cannot answer, the last list is kept.
/// </summary>
internal sealed class SeriesFleetDirectory : IFleetDirectory
{
    /// <summary>The most distinct (measurement, site, type, device) series read; a province has a few thousand devices.</summary>
    public const int MaxSeries = 100_000;

    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private static readonly SeriesQuery Query = new() { Keys = [TagNames.Site, TagNames.DeviceType, TagNames.Device], Limit = MaxSeries };
    private readonly ITelemetryStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<SeriesFleetDirectory> _logger;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private IReadOnlyList<FleetDevice> _devices = [];
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    public SeriesFleetDirectory(ITelemetryStore store, TimeProvider time, ILogger<SeriesFleetDirectory> logger)
    {
        _store = store;
        _time = time;
        _logger = logger;
    }

    public async Task<IReadOnlyList<FleetDevice>> ListAsync(CancellationToken cancellationToken)
    {
        if (_time.GetUtcNow() - _readAt < CacheFor)
        {
            return _devices;
        }

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (_time.GetUtcNow() - _readAt < CacheFor)
            {
                return _devices;
            }

            try
            {
                _devices = Devices(await _store.ListSeriesAsync(Query, cancellationToken));
            }
            catch (Exception ex) when (ex is StoreUnavailableException or StoreRejectedException)
            {
                Log.FleetReadFailed(_logger, ex.Message);
            }

            _readAt = _time.GetUtcNow();
            return _devices;
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>
    /// One device per address: telemetry series are named after the device type, status and event series carry it
    /// as a tag; series without site or device (or of an unknown type without the tag) are not devices.
    /// </summary>
    internal static IReadOnlyList<FleetDevice> Devices(IEnumerable<SeriesInfo> series)
    {
        var devices = new Dictionary<string, DeviceAddress>(StringComparer.Ordinal);
        foreach (var s in series)
        {
            var type = DeviceTypes.All.Contains(s.Measurement) ? s.Measurement : s.GetTag(TagNames.DeviceType);
            if (s.GetTag(TagNames.Site) is { } site && s.GetTag(TagNames.Device) is { } device && type is not null)
            {
                var address = new DeviceAddress(site, type, device);
                devices.TryAdd(address.ToString(), address);
            }
        }

        return [.. devices.Values
            .OrderBy(a => a.Site, StringComparer.Ordinal)
            .ThenBy(a => a.DeviceId, StringComparer.Ordinal)
            .Select(a => new FleetDevice(a, Province.DistrictOf(a.Site)?.Slug))];
    }
}
