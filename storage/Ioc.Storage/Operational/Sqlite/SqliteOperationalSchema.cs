using System.Globalization;
using Ioc.Storage.Sqlite;

namespace Ioc.Storage.Operational.Sqlite;

/// <summary>
/// The operational tables in SQLite: numbered migrations applied in order, each in its own immediate transaction (which
/// takes SQLite's write lock, so two processes starting together apply each once), recorded in <c>ioc_migrations</c>.
/// Add a migration by appending to <see cref="Migrations"/>; never edit one. Timestamps are Unix milliseconds (INTEGER).
/// </summary>
internal static class SqliteOperationalSchema
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
        // Before version 2 these tables were created with IF NOT EXISTS by the dashboard and the dead-letter store: an
        // existing file has them already.
        (2, "dashboard users and audit, dead letters", """
            CREATE TABLE IF NOT EXISTS dashboard_users (
                id INTEGER PRIMARY KEY,
                user_name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                display_name TEXT NOT NULL,
                role TEXT NOT NULL,
                password_hash TEXT NOT NULL,
                security_stamp TEXT NOT NULL,
                disabled INTEGER NOT NULL DEFAULT 0,
                failed_logins INTEGER NOT NULL DEFAULT 0,
                locked_until INTEGER,
                created_at INTEGER NOT NULL,
                last_login_at INTEGER);
            CREATE TABLE IF NOT EXISTS dashboard_audit (
                id INTEGER PRIMARY KEY,
                at INTEGER NOT NULL,
                user_name TEXT NOT NULL,
                action TEXT NOT NULL,
                target TEXT NOT NULL,
                detail TEXT NOT NULL,
                allowed INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS ix_dashboard_audit_at ON dashboard_audit(at);
            CREATE TABLE IF NOT EXISTS dead_letters (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                received_at INTEGER NOT NULL,
                topic TEXT NOT NULL,
                reason TEXT NOT NULL,
                detail TEXT NOT NULL,
                payload BLOB NOT NULL,
                payload_size INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS ix_dead_letters_reason ON dead_letters(reason, id);
            """),
        (3, "leases", """
            CREATE TABLE leases (
                name TEXT PRIMARY KEY,
                holder TEXT NOT NULL,
                endpoint TEXT,
                acquired_at INTEGER NOT NULL,
                expires_at INTEGER NOT NULL
            );
            """),
        (4, "reporting views ioc_alerts and ioc_devices", """
            CREATE VIEW ioc_alerts AS
            SELECT id, rule_id, rule_name, kind AS rule_kind, subject, site, district, device_type, device_id,
                CASE severity WHEN 0 THEN 'info' WHEN 1 THEN 'warning' WHEN 2 THEN 'minor' WHEN 3 THEN 'major' ELSE 'critical' END AS severity,
                state, summary, value,
                strftime('%Y-%m-%dT%H:%M:%fZ', fired_at / 1000.0, 'unixepoch') AS fired_at,
                strftime('%Y-%m-%dT%H:%M:%fZ', acknowledged_at / 1000.0, 'unixepoch') AS acknowledged_at,
                acknowledged_by,
                strftime('%Y-%m-%dT%H:%M:%fZ', resolved_at / 1000.0, 'unixepoch') AS resolved_at,
                resolved_by, assignee, parent_id, escalation_level, repeat_count,
                CASE WHEN silenced <> 0 THEN 1 ELSE 0 END AS silenced,
                (acknowledged_at - fired_at) / 1000.0 AS seconds_to_acknowledge,
                (resolved_at - fired_at) / 1000.0 AS seconds_to_resolve
            FROM alerts;
            CREATE VIEW ioc_devices AS
            SELECT site, device_type, device_id, district, health,
                strftime('%Y-%m-%dT%H:%M:%fZ', last_seen / 1000.0, 'unixepoch') AS last_seen,
                strftime('%Y-%m-%dT%H:%M:%fZ', health_since / 1000.0, 'unixepoch') AS since
            FROM alert_devices;
            """),
        (5, "device credentials", """
            CREATE TABLE device_credentials (
                device_id TEXT PRIMARY KEY,
                site TEXT NOT NULL,
                device_type TEXT NOT NULL,
                password_hash TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                rotated_at INTEGER,
                revoked_at INTEGER
            );
            """),
        (6, "recurring maintenance windows: recurrence, days, local start, duration and time zone of a silence", """
            ALTER TABLE alert_silences ADD COLUMN recurrence TEXT;
            ALTER TABLE alert_silences ADD COLUMN recurrence_days INTEGER;
            ALTER TABLE alert_silences ADD COLUMN recurrence_start_minute INTEGER;
            ALTER TABLE alert_silences ADD COLUMN recurrence_duration_s INTEGER;
            ALTER TABLE alert_silences ADD COLUMN time_zone TEXT;
            """),
        (7, "alert texts in Vietnamese and English, site registry", """
            ALTER TABLE alerts ADD COLUMN texts TEXT;
            CREATE TABLE sites (
                slug TEXT PRIMARY KEY,
                name_vi TEXT NOT NULL,
                name_en TEXT NOT NULL,
                district TEXT,
                kind TEXT NOT NULL,
                updated_at INTEGER NOT NULL
            );
            """),
        (8, "API tokens", """
            CREATE TABLE api_tokens (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL,
                prefix TEXT NOT NULL,
                token_hash TEXT NOT NULL UNIQUE,
                role TEXT NOT NULL,
                created_by TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                last_used_at INTEGER,
                revoked_at INTEGER,
                revoked_by TEXT
            );
            CREATE INDEX ix_api_tokens_prefix ON api_tokens(prefix);
            """),
        (9, "alert rule catalogue (rules edited in the dashboard), before/after of audited changes", """
            CREATE TABLE alert_rules (
                id TEXT PRIMARY KEY,
                definition TEXT NOT NULL,
                enabled INTEGER NOT NULL,
                origin TEXT NOT NULL,
                version INTEGER NOT NULL,
                changed_by TEXT NOT NULL,
                changed_at INTEGER NOT NULL,
                file_definition TEXT
            );
            CREATE TABLE alert_rule_catalogue (
                id INTEGER PRIMARY KEY,
                seeded_at INTEGER NOT NULL,
                seeded_from TEXT NOT NULL
            );
            ALTER TABLE dashboard_audit ADD COLUMN before_json TEXT;
            ALTER TABLE dashboard_audit ADD COLUMN after_json TEXT;
            """),
    ];

    public static async Task MigrateAsync(SqliteDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using (var create = connection.CreateCommand())
        {
            // Files written before the operational store recorded the alerting schema in alerting_migrations: adopt it.
            create.CommandText = """
                CREATE TABLE IF NOT EXISTS ioc_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS alerting_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL);
                INSERT OR IGNORE INTO ioc_migrations SELECT version, description, applied_at FROM alerting_migrations WHERE version = 1;
                """;
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var (version, description, sql) in Migrations)
        {
            await using var transaction = connection.BeginTransaction(deferred: false);
            await using var check = connection.CreateCommand();
            check.Transaction = transaction;
            check.CommandText = "SELECT COUNT(*) FROM ioc_migrations WHERE version = $v";
            check.Parameters.AddWithValue("$v", version);
            if (Convert.ToInt64(await check.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) > 0)
            {
                continue;
            }

            await using var apply = connection.CreateCommand();
            apply.Transaction = transaction;
            apply.CommandText = sql;
            await apply.ExecuteNonQueryAsync(cancellationToken);
            await using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO ioc_migrations (version, description, applied_at) VALUES ($v, $d, $t)";
            record.Parameters.AddWithValue("$v", version);
            record.Parameters.AddWithValue("$d", description);
            record.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            await record.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }
}
