using Ioc.Contract;
using Ioc.Storage;
using Ioc.Storage.Sqlite;
using Ioc.Dashboard.Live;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ioc.Dashboard.Data;

/// <summary>
/// The fleet as seen by the SQLite <c>series</c> table (site/device tags of every stored point) joined with every device
/// heard live on the broker (retained statuses reach the console for the whole fleet on connect). Cached for a short time.
/// </summary>
internal sealed class SeriesFleetDirectory : IFleetDirectory
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private readonly SqliteDatabase _database;
    private readonly DeviceStateStore _live;
    private readonly StorageOptions _storage;
    private readonly TimeProvider _time;
    private readonly ILogger<SeriesFleetDirectory> _logger;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private IReadOnlyList<DeviceAddress> _stored = [];
    private DateTimeOffset _storedAt = DateTimeOffset.MinValue;

    public SeriesFleetDirectory(SqliteDatabase database, DeviceStateStore live, IOptions<StorageOptions> storage, TimeProvider time, ILogger<SeriesFleetDirectory> logger)
    {
        _database = database;
        _live = live;
        _storage = storage.Value;
        _time = time;
        _logger = logger;
    }

    public async Task<IReadOnlyList<FleetDevice>> ListAsync(CancellationToken cancellationToken)
    {
        var stored = await StoredAsync(cancellationToken);
        var all = new Dictionary<string, DeviceAddress>(StringComparer.Ordinal);
        foreach (var address in stored)
        {
            all[address.ToString()] = address;
        }

        foreach (var state in _live.Snapshot())
        {
            all[state.Key] = state.Address;
        }

        return [.. all.Values
            .OrderBy(a => a.Site, StringComparer.Ordinal)
            .ThenBy(a => a.DeviceId, StringComparer.Ordinal)
            .Select(a => new FleetDevice(a, Province.DistrictOf(a.Site)?.Slug))];
    }

    private async Task<IReadOnlyList<DeviceAddress>> StoredAsync(CancellationToken cancellationToken)
    {
        if (_storage.Provider != StorageProvider.Sqlite || _time.GetUtcNow() - _storedAt < CacheFor)
        {
            return _stored;
        }

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (_time.GetUtcNow() - _storedAt < CacheFor)
            {
                return _stored;
            }

            _stored = await ReadSeriesAsync(cancellationToken);
            _storedAt = _time.GetUtcNow();
            return _stored;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private async Task<IReadOnlyList<DeviceAddress>> ReadSeriesAsync(CancellationToken cancellationToken)
    {
        var known = new HashSet<string>(DeviceTypes.All, StringComparer.Ordinal);
        var devices = new Dictionary<string, DeviceAddress>(StringComparer.Ordinal);
        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken);
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT DISTINCT site, device, measurement, json_extract(tags, '$.device_type') FROM series
                WHERE site IS NOT NULL AND device IS NOT NULL
                """;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var site = reader.GetString(0);
                var device = reader.GetString(1);
                var measurement = reader.GetString(2);
                var type = known.Contains(measurement) ? measurement : reader.IsDBNull(3) ? null : reader.GetString(3);
                if (type is not null)
                {
                    var address = new DeviceAddress(site, type, device);
                    devices[address.ToString()] = address;
                }
            }
        }
        catch (SqliteException ex)
        {
            Log.FleetReadFailed(_logger, ex.Message);
        }

        return [.. devices.Values];
    }
}
