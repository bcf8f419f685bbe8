using Ioc.Storage.Sqlite;

namespace Ioc.Dashboard.Security;

/// <summary>The dashboard's own tables in the operational SQLite file.</summary>
internal static class DashboardSchema
{
    private const string Sql = """
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
        """;

    public static Task EnsureAsync(SqliteDatabase database, CancellationToken cancellationToken) =>
        database.ExecuteAsync(Sql, cancellationToken);
}
