using Dapper;
using Ioc.Contract.Alerts;
using Npgsql;

namespace Ioc.Storage.Operational.Postgres;

/// <summary>The notification outbox in PostgreSQL.</summary>
internal sealed class PostgresNotificationStore(NpgsqlDataSource dataSource) : INotificationStore
{
    private const string Columns = """
        id AS Id, alert_id AS AlertId, event AS Event, channel AS Channel, target AS Target, status AS Status, attempts AS Attempts,
        created_at AS CreatedAt, next_attempt_at AS NextAttemptAt, last_error AS LastError
        """;

    public async Task<NotificationRecord> EnqueueAsync(long alertId, string @event, string channel, string target, NotificationStatus status, DateTimeOffset now, DateTimeOffset notBefore, string? note, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO alert_notifications (alert_id, event, channel, target, status, attempts, created_at, next_attempt_at, last_error)
            VALUES (@alertId, @event, @channel, @target, @status, 0, @now, @notBefore, @note) RETURNING id
            """,
            new { alertId, @event, channel, target, status = NotificationStatuses.Name(status), now = now.ToUniversalTime(), notBefore = notBefore.ToUniversalTime(), note },
            cancellationToken: cancellationToken));
        return new NotificationRecord(id, alertId, @event, channel, target, status, 0, now, notBefore, note);
    }

    public async Task<IReadOnlyList<NotificationRecord>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        await ReadAsync("WHERE status = 'pending' AND next_attempt_at <= @now ORDER BY next_attempt_at, id LIMIT @limit", new { now = now.ToUniversalTime(), limit }, cancellationToken);

    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var next = await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition("SELECT MIN(next_attempt_at) FROM alert_notifications WHERE status = 'pending'", cancellationToken: cancellationToken));
        return next is { } t ? PostgresAlertStore.Utc(t) : null;
    }

    public async Task<IReadOnlyList<NotificationRecord>> ForAlertAsync(long alertId, CancellationToken cancellationToken) =>
        await ReadAsync("WHERE alert_id = @alertId ORDER BY id", new { alertId }, cancellationToken);

    public async Task RecordAttemptAsync(NotificationRecord notification, DeliveryAttempt attempt, NotificationStatus status, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO alert_delivery_attempts (notification_id, attempt, at, success, duration_ms, detail) VALUES (@id, @attempt, @at, @success, @duration, @detail)",
            new { id = notification.Id, attempt = attempt.Attempt, at = attempt.At.ToUniversalTime(), success = attempt.Success, duration = (long)attempt.Duration.TotalMilliseconds, detail = attempt.Detail },
            transaction,
            cancellationToken: cancellationToken));
        await UpdateStatusAsync(connection, transaction, notification.Id, status, attempt.Attempt, nextAttemptAt, attempt.Success ? null : attempt.Detail, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task SuppressAsync(NotificationRecord notification, string reason, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await UpdateStatusAsync(connection, null, notification.Id, NotificationStatus.Suppressed, notification.Attempts, notification.NextAttemptAt, reason, cancellationToken);
    }

    public async Task<IReadOnlyList<DeliveryAttempt>> AttemptsAsync(long notificationId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long Id, long NotificationId, int Attempt, DateTime At, bool Success, long DurationMs, string Detail)>(new CommandDefinition(
            "SELECT id, notification_id, attempt, at, success, duration_ms, detail FROM alert_delivery_attempts WHERE notification_id = @notificationId ORDER BY id",
            new { notificationId },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => new DeliveryAttempt(r.Id, r.NotificationId, r.Attempt, PostgresAlertStore.Utc(r.At), r.Success, TimeSpan.FromMilliseconds(r.DurationMs), r.Detail))];
    }

    private static Task UpdateStatusAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long id, NotificationStatus status, int attempts, DateTimeOffset next, string? error, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "UPDATE alert_notifications SET status = @status, attempts = @attempts, next_attempt_at = @next, last_error = @error WHERE id = @id",
            new { status = NotificationStatuses.Name(status), attempts, next = next.ToUniversalTime(), error, id },
            transaction,
            cancellationToken: cancellationToken));

    private async Task<IReadOnlyList<NotificationRecord>> ReadAsync(string clause, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<NotificationRow>(new CommandDefinition($"SELECT {Columns} FROM alert_notifications {clause}", parameters, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new NotificationRecord(r.Id, r.AlertId, r.Event, r.Channel, r.Target, NotificationStatuses.Parse(r.Status), r.Attempts, PostgresAlertStore.Utc(r.CreatedAt), PostgresAlertStore.Utc(r.NextAttemptAt), r.LastError))];
    }

    private sealed class NotificationRow
    {
        public long Id { get; init; }

        public long AlertId { get; init; }

        public string Event { get; init; } = "";

        public string Channel { get; init; } = "";

        public string Target { get; init; } = "";

        public string Status { get; init; } = "";

        public int Attempts { get; init; }

        public DateTime CreatedAt { get; init; }

        public DateTime NextAttemptAt { get; init; }

        public string? LastError { get; init; }
    }
}

/// <summary>The device registry in PostgreSQL: one multi-row upsert per chunk.</summary>
internal sealed class PostgresDeviceStore(NpgsqlDataSource dataSource) : IDeviceStore
{
    private const int ChunkSize = 500;

    public async Task UpsertAsync(IReadOnlyCollection<DeviceHealth> devices, CancellationToken cancellationToken)
    {
        if (devices.Count == 0)
        {
            return;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        foreach (var chunk in devices.Chunk(ChunkSize))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO alert_devices (site, device_type, device_id, district, health, status_offline, last_seen, health_since)
                SELECT * FROM unnest(@sites, @types, @ids, @districts, @healths, @offline, @seen, @since)
                ON CONFLICT (site, device_type, device_id) DO UPDATE SET district = excluded.district, health = excluded.health,
                    status_offline = excluded.status_offline, last_seen = excluded.last_seen, health_since = excluded.health_since
                """,
                new
                {
                    sites = chunk.Select(d => d.Site).ToArray(),
                    types = chunk.Select(d => d.DeviceType).ToArray(),
                    ids = chunk.Select(d => d.DeviceId).ToArray(),
                    districts = chunk.Select(d => d.District).ToArray(),
                    healths = chunk.Select(d => HealthStates.Name(d.State)).ToArray(),
                    offline = chunk.Select(d => d.State == HealthState.Offline).ToArray(),
                    seen = chunk.Select(d => (d.LastSeen ?? d.Since).UtcDateTime).ToArray(),
                    since = chunk.Select(d => d.Since.UtcDateTime).ToArray(),
                },
                cancellationToken: cancellationToken));
        }
    }

    public async Task<IReadOnlyList<DeviceHealth>> LoadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Site, string DeviceType, string DeviceId, string? District, string Health, DateTime LastSeen, DateTime Since)>(new CommandDefinition(
            "SELECT site, device_type, device_id, district, health, last_seen, health_since FROM alert_devices", cancellationToken: cancellationToken));
        return [.. rows.Select(r => new DeviceHealth(r.Site, r.DeviceType, r.DeviceId, r.District, HealthStates.Parse(r.Health), PostgresAlertStore.Utc(r.LastSeen), PostgresAlertStore.Utc(r.Since)))];
    }
}

/// <summary>Dashboard accounts in PostgreSQL; names are unique by <c>lower(user_name)</c>.</summary>
internal sealed class PostgresUserStore(NpgsqlDataSource dataSource) : IUserStore
{
    private const string Columns = """
        id AS Id, user_name AS UserName, display_name AS DisplayName, role AS Role, disabled AS Disabled, failed_logins AS FailedLogins,
        locked_until AS LockedUntil, created_at AS CreatedAt, last_login_at AS LastLoginAt
        """;

    public async Task<DashboardUser> CreateAsync(string userName, string displayName, string role, string passwordHash, string securityStamp, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO dashboard_users(user_name, display_name, role, password_hash, security_stamp, created_at)
                VALUES (@userName, @displayName, @role, @passwordHash, @securityStamp, @createdAt)
                """,
                new { userName, displayName, role, passwordHash, securityStamp, createdAt = createdAt.ToUniversalTime() },
                cancellationToken: cancellationToken));
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new ArgumentException($"A user named '{userName}' already exists.", nameof(userName), ex);
        }

        return (await FindAsync(userName, cancellationToken))!;
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM dashboard_users", cancellationToken: cancellationToken));
    }

    public async Task<DashboardUser?> FindAsync(string userName, CancellationToken cancellationToken) =>
        (await FindCredentialsAsync(userName, cancellationToken))?.User;

    public async Task<UserCredentials?> FindCredentialsAsync(string userName, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            $"SELECT {Columns}, password_hash AS PasswordHash FROM dashboard_users WHERE lower(user_name) = lower(@userName)", new { userName }, cancellationToken: cancellationToken));
        return row is null ? null : new UserCredentials(row.ToUser(), row.PasswordHash);
    }

    public async Task<IReadOnlyList<DashboardUser>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<UserRow>(new CommandDefinition($"SELECT {Columns}, '' AS PasswordHash FROM dashboard_users ORDER BY lower(user_name)", cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToUser())];
    }

    public async Task RecordFailedLoginAsync(long id, int failedLogins, DateTimeOffset? lockedUntil, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE dashboard_users SET failed_logins = @failedLogins, locked_until = @until WHERE id = @id",
            new { id, failedLogins, until = lockedUntil?.ToUniversalTime() },
            cancellationToken: cancellationToken));
    }

    public async Task RecordLoginAsync(long id, DateTimeOffset at, string? newPasswordHash, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE dashboard_users SET failed_logins = 0, locked_until = NULL, last_login_at = @at,
                password_hash = COALESCE(@newPasswordHash, password_hash)
            WHERE id = @id
            """,
            new { id, at = at.ToUniversalTime(), newPasswordHash },
            cancellationToken: cancellationToken));
    }

    public async Task<string?> GetSecurityStampAsync(string userName, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT security_stamp FROM dashboard_users WHERE lower(user_name) = lower(@userName) AND NOT disabled", new { userName }, cancellationToken: cancellationToken));
    }

    public Task<bool> SetRoleAsync(string userName, string role, string newStamp, CancellationToken cancellationToken) =>
        UpdateAsync(userName, "role = @value", role, newStamp, cancellationToken);

    public Task<bool> SetDisabledAsync(string userName, bool disabled, string newStamp, CancellationToken cancellationToken) =>
        UpdateAsync(userName, "disabled = @value", disabled, newStamp, cancellationToken);

    public Task<bool> UnlockAsync(string userName, string newStamp, CancellationToken cancellationToken) =>
        UpdateAsync(userName, "failed_logins = 0, locked_until = NULL", null, newStamp, cancellationToken);

    public Task<bool> SetPasswordHashAsync(string userName, string passwordHash, string newStamp, CancellationToken cancellationToken) =>
        UpdateAsync(userName, "password_hash = @value, failed_logins = 0, locked_until = NULL", passwordHash, newStamp, cancellationToken);

    public Task<bool> SetSecurityStampAsync(string userName, string newStamp, CancellationToken cancellationToken) =>
        UpdateAsync(userName, "failed_logins = failed_logins", null, newStamp, cancellationToken);

    private async Task<bool> UpdateAsync(string userName, string set, object? value, string stamp, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE dashboard_users SET {set}, security_stamp = @stamp WHERE lower(user_name) = lower(@userName)",
            value is null ? new { stamp, userName } : new { value, stamp, userName },
            cancellationToken: cancellationToken)) > 0;
    }

    private sealed class UserRow
    {
        public long Id { get; init; }

        public string UserName { get; init; } = "";

        public string DisplayName { get; init; } = "";

        public string Role { get; init; } = "";

        public bool Disabled { get; init; }

        public int FailedLogins { get; init; }

        public DateTime? LockedUntil { get; init; }

        public DateTime CreatedAt { get; init; }

        public DateTime? LastLoginAt { get; init; }

        public string PasswordHash { get; init; } = "";

        public DashboardUser ToUser() => new(
            Id, UserName, DisplayName, Role, Disabled, FailedLogins,
            LockedUntil is { } until ? PostgresAlertStore.Utc(until) : null,
            PostgresAlertStore.Utc(CreatedAt),
            LastLoginAt is { } last ? PostgresAlertStore.Utc(last) : null);
    }
}

/// <summary>The dashboard's action audit in PostgreSQL.</summary>
internal sealed class PostgresAuditStore(NpgsqlDataSource dataSource) : IAuditStore
{
    public async Task WriteAsync(DateTimeOffset at, string userName, string action, string target, string detail, bool allowed, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO dashboard_audit(at, user_name, action, target, detail, allowed) VALUES (@at, @userName, @action, @target, @detail, @allowed)",
            new { at = at.ToUniversalTime(), userName, action, target, detail = detail.Length > 1024 ? detail[..1024] : detail, allowed },
            cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<AuditEntry>> ListAsync(int limit, string? userName, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long Id, DateTime At, string UserName, string Action, string Target, string Detail, bool Allowed, string? Before, string? After)>(new CommandDefinition(
            userName is null
                ? "SELECT id, at, user_name, action, target, detail, allowed, before_json, after_json FROM dashboard_audit ORDER BY id DESC LIMIT @limit"
                : "SELECT id, at, user_name, action, target, detail, allowed, before_json, after_json FROM dashboard_audit WHERE user_name = @userName ORDER BY id DESC LIMIT @limit",
            new { userName, limit = Math.Clamp(limit, 1, 5000) },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => new AuditEntry(r.Id, PostgresAlertStore.Utc(r.At), r.UserName, r.Action, r.Target, r.Detail, r.Allowed, r.Before, r.After))];
    }
}

/// <summary>Refused messages in PostgreSQL, capped at <see cref="MaxRows"/> like the SQLite store.</summary>
internal sealed class PostgresDeadLetterStore(NpgsqlDataSource dataSource, Func<CancellationToken, Task> migrate) : IDeadLetterStore
{
    public const int MaxRows = 100_000;

    public Task InitializeAsync(CancellationToken cancellationToken) => migrate(cancellationToken);

    public async Task AddAsync(IReadOnlyList<DeadLetter> letters, CancellationToken cancellationToken)
    {
        if (letters.Count == 0)
        {
            return;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO dead_letters(received_at, topic, reason, detail, payload, payload_size)
            SELECT a, b, c, d, e, f FROM unnest(@at, @topic, @reason, @detail, @payload, @size) WITH ORDINALITY AS t(a, b, c, d, e, f, n) ORDER BY n
            """,
            new
            {
                at = letters.Select(l => l.ReceivedAt.UtcDateTime).ToArray(),
                topic = letters.Select(l => l.Topic).ToArray(),
                reason = letters.Select(l => l.Reason).ToArray(),
                detail = letters.Select(l => l.Detail).ToArray(),
                payload = letters.Select(l => l.PayloadHead).ToArray(),
                size = letters.Select(l => l.PayloadSize).ToArray(),
            },
            transaction,
            cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            $"DELETE FROM dead_letters WHERE id <= (SELECT MAX(id) FROM dead_letters) - {MaxRows}", transaction: transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<DeadLetter>> ListAsync(int limit, string? reason, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long Id, DateTime ReceivedAt, string Topic, string Reason, string Detail, byte[] Payload, int PayloadSize)>(new CommandDefinition(
            reason is null
                ? "SELECT id, received_at, topic, reason, detail, payload, payload_size FROM dead_letters ORDER BY id DESC LIMIT @limit"
                : "SELECT id, received_at, topic, reason, detail, payload, payload_size FROM dead_letters WHERE reason = @reason ORDER BY id DESC LIMIT @limit",
            new { reason, limit = Math.Clamp(limit, 1, 10_000) },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => new DeadLetter(PostgresAlertStore.Utc(r.ReceivedAt), r.Topic, r.Reason, r.Detail, r.Payload, r.PayloadSize) { Id = r.Id })];
    }

    public async Task<IReadOnlyDictionary<string, long>> CountByReasonAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Reason, long Count)>(new CommandDefinition("SELECT reason, COUNT(*) FROM dead_letters GROUP BY reason", cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Reason, r => r.Count, StringComparer.Ordinal);
    }
}

/// <summary>Leases in PostgreSQL, decided by the server's clock (<c>clock_timestamp()</c>) in one atomic upsert.</summary>
internal sealed class PostgresLeaseStore(NpgsqlDataSource dataSource) : ILeaseStore
{
    public async Task<bool> TryAcquireAsync(string name, string holder, string? endpoint, TimeSpan ttl, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var winner = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            """
            INSERT INTO leases AS l (name, holder, endpoint, acquired_at, expires_at)
            VALUES (@name, @holder, @endpoint, clock_timestamp(), clock_timestamp() + @ttl)
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, endpoint = excluded.endpoint, expires_at = excluded.expires_at,
                acquired_at = CASE WHEN l.holder = excluded.holder THEN l.acquired_at ELSE excluded.acquired_at END
            WHERE l.expires_at <= clock_timestamp() OR l.holder = excluded.holder
            RETURNING holder
            """,
            new { name, holder, endpoint, ttl },
            cancellationToken: cancellationToken));
        return winner == holder;
    }

    public async Task ReleaseAsync(string name, string holder, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM leases WHERE name = @name AND holder = @holder", new { name, holder }, cancellationToken: cancellationToken));
    }

    public async Task<Lease?> GetAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string? Holder, string? Endpoint, DateTime ExpiresAt)>(new CommandDefinition(
            "SELECT holder, endpoint, expires_at FROM leases WHERE name = @name AND expires_at > clock_timestamp()", new { name }, cancellationToken: cancellationToken));
        return row.Holder is { } holder ? new Lease(holder, row.Endpoint, PostgresAlertStore.Utc(row.ExpiresAt)) : null;
    }
}
