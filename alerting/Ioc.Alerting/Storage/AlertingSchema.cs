using Ioc.Storage.Sqlite;

namespace Ioc.Alerting.Storage;

/// <summary>
/// The alerting tables in the operational SQLite store: one schema, numbered migrations applied in order, each in its own
/// transaction, recorded in <c>alerting_migrations</c>. Add a migration by appending to <see cref="Migrations"/>; never edit one.
/// </summary>
public static class AlertingSchema
{
    public static IReadOnlyList<(int Version, string Description, string Sql)> Migrations { get; } =
    [
        (1, "alerts, audit, comments, silences, notifications, devices", """
            CREATE TABLE alerts (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                rule_id TEXT NOT NULL,
                rule_name TEXT NOT NULL,
                kind TEXT NOT NULL,
                subject_key TEXT NOT NULL,
                subject TEXT NOT NULL,
                severity INTEGER NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('firing', 'acknowledged', 'resolved')),
                site TEXT, district TEXT, device_type TEXT, device_id TEXT,
                summary TEXT NOT NULL,
                value REAL,
                labels TEXT NOT NULL DEFAULT '{}',
                fired_at INTEGER NOT NULL,
                last_fired_at INTEGER NOT NULL,
                repeat_count INTEGER NOT NULL DEFAULT 0,
                condition_active INTEGER NOT NULL DEFAULT 1,
                flapping INTEGER NOT NULL DEFAULT 0,
                silenced INTEGER NOT NULL DEFAULT 0,
                parent_id INTEGER REFERENCES alerts(id),
                assignee TEXT, assigned_at INTEGER, assigned_by TEXT,
                acknowledged_at INTEGER, acknowledged_by TEXT,
                resolved_at INTEGER, resolved_by TEXT,
                escalation_level INTEGER NOT NULL DEFAULT 0,
                escalated_at INTEGER,
                updated_at INTEGER NOT NULL
            );
            CREATE UNIQUE INDEX ux_alerts_open ON alerts(rule_id, subject_key) WHERE state <> 'resolved';
            CREATE INDEX ix_alerts_state ON alerts(state, severity);
            CREATE INDEX ix_alerts_parent ON alerts(parent_id);
            CREATE INDEX ix_alerts_fired ON alerts(fired_at);
            CREATE TABLE alert_audit (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                alert_id INTEGER NOT NULL REFERENCES alerts(id),
                at INTEGER NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                detail TEXT
            );
            CREATE INDEX ix_alert_audit_alert ON alert_audit(alert_id, id);
            CREATE TABLE alert_comments (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                alert_id INTEGER NOT NULL REFERENCES alerts(id),
                at INTEGER NOT NULL,
                author TEXT NOT NULL,
                text TEXT NOT NULL
            );
            CREATE INDEX ix_alert_comments_alert ON alert_comments(alert_id, id);
            CREATE TABLE alert_silences (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                kind TEXT NOT NULL,
                rule_id TEXT, site TEXT, district TEXT, device_type TEXT, device_id TEXT,
                starts_at INTEGER NOT NULL,
                ends_at INTEGER NOT NULL,
                reason TEXT NOT NULL,
                created_by TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                ended_by TEXT,
                ended_at INTEGER
            );
            CREATE INDEX ix_alert_silences_ends ON alert_silences(ends_at);
            CREATE TABLE alert_notifications (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                alert_id INTEGER NOT NULL REFERENCES alerts(id),
                event TEXT NOT NULL,
                channel TEXT NOT NULL,
                target TEXT NOT NULL,
                status TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                created_at INTEGER NOT NULL,
                next_attempt_at INTEGER NOT NULL,
                last_error TEXT
            );
            CREATE INDEX ix_alert_notifications_due ON alert_notifications(status, next_attempt_at);
            CREATE INDEX ix_alert_notifications_alert ON alert_notifications(alert_id);
            CREATE TABLE alert_delivery_attempts (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                notification_id INTEGER NOT NULL REFERENCES alert_notifications(id),
                attempt INTEGER NOT NULL,
                at INTEGER NOT NULL,
                success INTEGER NOT NULL,
                duration_ms INTEGER NOT NULL,
                detail TEXT NOT NULL
            );
            CREATE INDEX ix_alert_delivery_attempts_notification ON alert_delivery_attempts(notification_id);
            CREATE TABLE alert_devices (
                site TEXT NOT NULL,
                device_type TEXT NOT NULL,
                device_id TEXT NOT NULL,
                district TEXT,
                health TEXT NOT NULL,
                status_offline INTEGER NOT NULL DEFAULT 0,
                last_seen INTEGER NOT NULL,
                health_since INTEGER NOT NULL,
                PRIMARY KEY (site, device_type, device_id)
            );
            """),
    ];

    public static async Task MigrateAsync(SqliteDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE IF NOT EXISTS alerting_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL);";
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var (version, description, sql) in Migrations)
        {
            await using var transaction = connection.BeginTransaction(deferred: false);
            using var check = connection.CreateCommand();
            check.Transaction = transaction;
            check.CommandText = "SELECT COUNT(*) FROM alerting_migrations WHERE version = $v";
            check.Parameters.AddWithValue("$v", version);
            if (Convert.ToInt64(await check.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) > 0)
            {
                continue;
            }

            using var apply = connection.CreateCommand();
            apply.Transaction = transaction;
            apply.CommandText = sql;
            await apply.ExecuteNonQueryAsync(cancellationToken);
            using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO alerting_migrations (version, description, applied_at) VALUES ($v, $d, $t)";
            record.Parameters.AddWithValue("$v", version);
            record.Parameters.AddWithValue("$d", description);
            record.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            await record.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }
}
