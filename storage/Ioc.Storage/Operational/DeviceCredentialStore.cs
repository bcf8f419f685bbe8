using System.Data.Common;
using Dapper;

namespace Ioc.Storage.Operational;

/// <summary>
/// <see cref="IDeviceCredentialStore"/> over table <c>device_credentials</c>, the same SQL on SQLite and PostgreSQL
/// (standard <c>INSERT … ON CONFLICT</c>; times as Unix milliseconds in both, so one row shape serves them).
/// </summary>
internal sealed class DeviceCredentialStore(Func<CancellationToken, Task<DbConnection>> open) : IDeviceCredentialStore
{
    private const string Columns = "device_id AS DeviceId, site AS Site, device_type AS DeviceType, password_hash AS PasswordHash, created_at AS CreatedAt, rotated_at AS RotatedAt, revoked_at AS RevokedAt";

    public async Task<string> IssueAsync(DeviceIdentity device, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(device.DeviceId);
        if (device.DeviceId.IndexOfAny(['/', '+', '#', ':']) >= 0)
        {
            throw new ArgumentException($"A device id is one topic level and a username: '{device.DeviceId}' has '/', '+', '#' or ':'.", nameof(device));
        }

        var secret = DeviceSecrets.NewSecret();
        await using var connection = await open(cancellationToken);
        // A revoked credential is replaced (a new life for the device id); a live one is never overwritten.
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO device_credentials(device_id, site, device_type, password_hash, created_at, rotated_at, revoked_at)
            VALUES (@DeviceId, @Site, @DeviceType, @hash, @now, NULL, NULL)
            ON CONFLICT (device_id) DO UPDATE SET site = excluded.site, device_type = excluded.device_type,
                password_hash = excluded.password_hash, created_at = excluded.created_at, rotated_at = NULL, revoked_at = NULL
            WHERE device_credentials.revoked_at IS NOT NULL
            """,
            new { device.DeviceId, device.Site, device.DeviceType, hash = DeviceSecrets.Hash(secret), now = now.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
        return changed == 1 ? secret : throw new ArgumentException($"Device '{device.DeviceId}' already has a credential: rotate or revoke it.", nameof(device));
    }

    public async Task<string?> RotateAsync(string deviceId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var secret = DeviceSecrets.NewSecret();
        await using var connection = await open(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE device_credentials SET password_hash = @hash, rotated_at = @now WHERE device_id = @deviceId AND revoked_at IS NULL",
            new { deviceId, hash = DeviceSecrets.Hash(secret), now = now.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
        return changed == 1 ? secret : null;
    }

    public async Task<bool> RevokeAsync(string deviceId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await open(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE device_credentials SET revoked_at = @now WHERE device_id = @deviceId AND revoked_at IS NULL",
            new { deviceId, now = now.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken)) == 1;
    }

    public async Task<DeviceIdentity?> VerifyAsync(string deviceId, string secret, CancellationToken cancellationToken)
    {
        await using var connection = await open(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM device_credentials WHERE device_id = @deviceId AND revoked_at IS NULL", new { deviceId }, cancellationToken: cancellationToken));
        return row is not null && DeviceSecrets.Verify(secret, row.PasswordHash) ? new DeviceIdentity(row.DeviceId, row.Site, row.DeviceType) : null;
    }

    public async Task<IReadOnlyList<DeviceCredential>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await open(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM device_credentials ORDER BY device_id", cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToCredential())];
    }

    public async Task<IReadOnlyList<DeviceCredentialHash>> ListActiveHashesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await open(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM device_credentials WHERE revoked_at IS NULL ORDER BY device_id", cancellationToken: cancellationToken));
        return [.. rows.Select(r => new DeviceCredentialHash(r.ToCredential(), r.PasswordHash))];
    }

    private sealed class Row
    {
        public string DeviceId { get; init; } = string.Empty;

        public string Site { get; init; } = string.Empty;

        public string DeviceType { get; init; } = string.Empty;

        public string PasswordHash { get; init; } = string.Empty;

        public long CreatedAt { get; init; }

        public long? RotatedAt { get; init; }

        public long? RevokedAt { get; init; }

        public DeviceCredential ToCredential() => new(DeviceId, Site, DeviceType, FromMs(CreatedAt), RotatedAt is { } r ? FromMs(r) : null, RevokedAt is { } v ? FromMs(v) : null);

        private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
    }
}
