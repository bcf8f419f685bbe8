using System.Globalization;
using Ioc.Contract.Alerts;
using Ioc.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Ioc.Storage.Operational.Sqlite;

/// <summary>The notification outbox and its delivery attempts: every attempt is recorded, success or not.</summary>
internal sealed class SqliteNotificationStore(SqliteDatabase database) : INotificationStore
{
    private const string Columns = "id, alert_id, event, channel, target, status, attempts, created_at, next_attempt_at, last_error";

    public async Task<NotificationRecord> EnqueueAsync(long alertId, string @event, string channel, string target, NotificationStatus status, DateTimeOffset now, DateTimeOffset notBefore, string? note, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO alert_notifications (alert_id, event, channel, target, status, attempts, created_at, next_attempt_at, last_error)
            VALUES ($a, $e, $c, $t, $s, 0, $now, $next, $note) RETURNING id
            """;
        command.Parameters.AddWithValue("$a", alertId);
        command.Parameters.AddWithValue("$e", @event);
        command.Parameters.AddWithValue("$c", channel);
        command.Parameters.AddWithValue("$t", target);
        command.Parameters.AddWithValue("$s", StatusName(status));
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$next", notBefore.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$note", (object?)note ?? DBNull.Value);
        var id = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        return new NotificationRecord(id, alertId, @event, channel, target, status, 0, now, notBefore, note);
    }

    public async Task<IReadOnlyList<NotificationRecord>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ReadAsync(connection, "WHERE status = 'pending' AND next_attempt_at <= $now ORDER BY next_attempt_at, id LIMIT $limit", cancellationToken, ("$now", now.ToUnixTimeMilliseconds()), ("$limit", limit));
    }

    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT MIN(next_attempt_at) FROM alert_notifications WHERE status = 'pending'";
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is long ms ? SqliteAlertStore.FromMs(ms) : null;
    }

    public async Task<IReadOnlyList<NotificationRecord>> ForAlertAsync(long alertId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ReadAsync(connection, "WHERE alert_id = $a ORDER BY id", cancellationToken, ("$a", alertId));
    }

    /// <summary>Records one attempt and the notification's new state in one transaction.</summary>
    public async Task RecordAttemptAsync(NotificationRecord notification, DeliveryAttempt attempt, NotificationStatus status, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO alert_delivery_attempts (notification_id, attempt, at, success, duration_ms, detail) VALUES ($n, $a, $t, $s, $d, $x)";
            insert.Parameters.AddWithValue("$n", notification.Id);
            insert.Parameters.AddWithValue("$a", attempt.Attempt);
            insert.Parameters.AddWithValue("$t", attempt.At.ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("$s", attempt.Success ? 1 : 0);
            insert.Parameters.AddWithValue("$d", (long)attempt.Duration.TotalMilliseconds);
            insert.Parameters.AddWithValue("$x", attempt.Detail);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await UpdateStatusAsync(connection, transaction, notification.Id, status, attempt.Attempt, nextAttemptAt, attempt.Success ? null : attempt.Detail, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Marks a notification suppressed (silenced, grouped, resolved before sending) with the reason.</summary>
    public async Task SuppressAsync(NotificationRecord notification, string reason, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await UpdateStatusAsync(connection, transaction, notification.Id, NotificationStatus.Suppressed, notification.Attempts, notification.NextAttemptAt, reason, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<DeliveryAttempt>> AttemptsAsync(long notificationId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, notification_id, attempt, at, success, duration_ms, detail FROM alert_delivery_attempts WHERE notification_id = $n ORDER BY id";
        command.Parameters.AddWithValue("$n", notificationId);
        var list = new List<DeliveryAttempt>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new DeliveryAttempt(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt32(2), SqliteAlertStore.FromMs(reader.GetInt64(3)), reader.GetInt32(4) != 0, TimeSpan.FromMilliseconds(reader.GetInt64(5)), reader.GetString(6)));
        }

        return list;
    }

    private static async Task UpdateStatusAsync(SqliteConnection connection, SqliteTransaction transaction, long id, NotificationStatus status, int attempts, DateTimeOffset next, string? error, CancellationToken cancellationToken)
    {
        using var update = connection.CreateCommand();
        update.Transaction = transaction;
        update.CommandText = "UPDATE alert_notifications SET status = $s, attempts = $a, next_attempt_at = $n, last_error = $e WHERE id = $id";
        update.Parameters.AddWithValue("$s", StatusName(status));
        update.Parameters.AddWithValue("$a", attempts);
        update.Parameters.AddWithValue("$n", next.ToUnixTimeMilliseconds());
        update.Parameters.AddWithValue("$e", (object?)error ?? DBNull.Value);
        update.Parameters.AddWithValue("$id", id);
        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string StatusName(NotificationStatus status) => status switch
    {
        NotificationStatus.Pending => "pending",
        NotificationStatus.Delivered => "delivered",
        NotificationStatus.Failed => "failed",
        _ => "suppressed",
    };

    private static NotificationStatus ParseStatus(string text) => text switch
    {
        "pending" => NotificationStatus.Pending,
        "delivered" => NotificationStatus.Delivered,
        "failed" => NotificationStatus.Failed,
        _ => NotificationStatus.Suppressed,
    };

    private static async Task<IReadOnlyList<NotificationRecord>> ReadAsync(SqliteConnection connection, string clause, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM alert_notifications {clause}";
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var list = new List<NotificationRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new NotificationRecord(
                reader.GetInt64(0),
                reader.GetInt64(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                ParseStatus(reader.GetString(5)),
                reader.GetInt32(6),
                SqliteAlertStore.FromMs(reader.GetInt64(7)),
                SqliteAlertStore.FromMs(reader.GetInt64(8)),
                reader.IsDBNull(9) ? null : reader.GetString(9)));
        }

        return list;
    }
}
