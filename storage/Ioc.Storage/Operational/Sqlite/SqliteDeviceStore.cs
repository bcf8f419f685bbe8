using Ioc.Contract.Alerts;
using Ioc.Storage.Sqlite;

namespace Ioc.Storage.Operational.Sqlite;

/// <summary>The devices the engine has heard from, with their health: what no-data and composite rules count after a restart.</summary>
internal sealed class SqliteDeviceStore(SqliteDatabase database) : IDeviceStore
{
    /// <summary>Rows per transaction: short write locks, so alert writes never wait long behind a fleet-wide update.</summary>
    private const int ChunkSize = 100;

    public async Task UpsertAsync(IReadOnlyCollection<DeviceHealth> devices, CancellationToken cancellationToken)
    {
        if (devices.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        foreach (var chunk in devices.Chunk(ChunkSize))
        {
            await UpsertChunkAsync(connection, chunk, cancellationToken);
        }
    }

    private static async Task UpsertChunkAsync(Microsoft.Data.Sqlite.SqliteConnection connection, DeviceHealth[] devices, CancellationToken cancellationToken)
    {
        await using var transaction = connection.BeginTransaction(deferred: false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO alert_devices (site, device_type, device_id, district, health, status_offline, last_seen, health_since)
            VALUES ($site, $type, $id, $district, $health, $offline, $seen, $since)
            ON CONFLICT (site, device_type, device_id) DO UPDATE SET district = excluded.district, health = excluded.health,
                status_offline = excluded.status_offline, last_seen = excluded.last_seen, health_since = excluded.health_since
            """;
        var site = command.Parameters.Add("$site", Microsoft.Data.Sqlite.SqliteType.Text);
        var type = command.Parameters.Add("$type", Microsoft.Data.Sqlite.SqliteType.Text);
        var id = command.Parameters.Add("$id", Microsoft.Data.Sqlite.SqliteType.Text);
        var district = command.Parameters.Add("$district", Microsoft.Data.Sqlite.SqliteType.Text);
        var health = command.Parameters.Add("$health", Microsoft.Data.Sqlite.SqliteType.Text);
        var offline = command.Parameters.Add("$offline", Microsoft.Data.Sqlite.SqliteType.Integer);
        var seen = command.Parameters.Add("$seen", Microsoft.Data.Sqlite.SqliteType.Integer);
        var since = command.Parameters.Add("$since", Microsoft.Data.Sqlite.SqliteType.Integer);
        foreach (var device in devices)
        {
            site.Value = device.Site;
            type.Value = device.DeviceType;
            id.Value = device.DeviceId;
            district.Value = (object?)device.District ?? DBNull.Value;
            health.Value = HealthStates.Name(device.State);
            offline.Value = device.State == HealthState.Offline ? 1 : 0;
            seen.Value = (device.LastSeen ?? device.Since).ToUnixTimeMilliseconds();
            since.Value = device.Since.ToUnixTimeMilliseconds();
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<DeviceHealth>> LoadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT site, device_type, device_id, district, health, last_seen, health_since FROM alert_devices";
        var list = new List<DeviceHealth>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new DeviceHealth(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                HealthStates.Parse(reader.GetString(4)),
                SqliteAlertStore.FromMs(reader.GetInt64(5)),
                SqliteAlertStore.FromMs(reader.GetInt64(6))));
        }

        return list;
    }
}
