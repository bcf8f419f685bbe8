using System.Globalization;
using System.Text;
using System.Text.Json;
using Ioc.Contract.Alerts;
using Ioc.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Ioc.Storage.Operational.Sqlite;

/// <summary>
/// Alerts, their audit trail, comments and silences in SQLite (timestamps as Unix milliseconds). Every change to an alert is a read-modify-write inside
/// <c>BEGIN IMMEDIATE</c>, so the engine (in the collector) and the dashboard never overwrite each other.
/// </summary>
internal sealed class SqliteAlertStore(SqliteDatabase database, Func<CancellationToken, Task> migrate) : IAlertStore
{
    private const string AlertColumns = """
        id, rule_id, rule_name, kind, subject_key, subject, severity, state, site, district, device_type, device_id, summary,
        value, labels, fired_at, last_fired_at, repeat_count, condition_active, flapping, silenced, parent_id, assignee,
        assigned_at, assigned_by, acknowledged_at, acknowledged_by, resolved_at, resolved_by, escalation_level, escalated_at, updated_at, texts
        """;

    public Task MigrateAsync(CancellationToken cancellationToken) => migrate(cancellationToken);

    public async Task<Alert?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ReadAlertAsync(connection, null, "WHERE id = $id", cancellationToken, ("$id", id));
    }

    public async Task<Alert?> FindOpenAsync(string ruleId, string subjectKey, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ReadAlertAsync(connection, null, "WHERE rule_id = $r AND subject_key = $s AND state <> 'resolved'", cancellationToken, ("$r", ruleId), ("$s", subjectKey));
    }

    /// <summary>Inserts a new open alert with its first audit line; returns it with its id.</summary>
    public async Task<Alert> InsertAsync(Alert alert, string actor, string action, string? detail, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO alerts (rule_id, rule_name, kind, subject_key, subject, severity, state, site, district, device_type, device_id,
                summary, value, labels, fired_at, last_fired_at, repeat_count, condition_active, flapping, silenced, parent_id,
                escalation_level, updated_at, texts)
            VALUES ($rule_id, $rule_name, $kind, $subject_key, $subject, $severity, $state, $site, $district, $device_type, $device_id,
                $summary, $value, $labels, $fired_at, $last_fired_at, $repeat_count, $condition_active, $flapping, $silenced, $parent_id,
                0, $updated_at, $texts)
            RETURNING id;
            """;
        BindAlert(command, alert);
        var id = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        await InsertAuditAsync(connection, transaction, id, alert.FiredAt, actor, action, detail, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return alert with { Id = id };
    }

    /// <summary>
    /// Reads the alert, lets <paramref name="change"/> decide (null: nothing to do), writes the result and its audit lines,
    /// all in one immediate transaction. Returns the stored alert, or null when the alert does not exist or nothing changed.
    /// </summary>
    public async Task<Alert?> UpdateAsync(long id, DateTimeOffset now, Func<Alert, AlertMutation?> change, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var current = await ReadAlertAsync(connection, transaction, "WHERE id = $id", cancellationToken, ("$id", id));
        if (current is null || change(current) is not { } mutation)
        {
            return null;
        }

        var updated = mutation.Alert with { UpdatedAt = now };
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            UPDATE alerts SET severity = $severity, state = $state, summary = $summary, value = $value, labels = $labels,
                last_fired_at = $last_fired_at, repeat_count = $repeat_count, condition_active = $condition_active, flapping = $flapping,
                silenced = $silenced, parent_id = $parent_id, assignee = $assignee, assigned_at = $assigned_at, assigned_by = $assigned_by,
                acknowledged_at = $acknowledged_at, acknowledged_by = $acknowledged_by, resolved_at = $resolved_at, resolved_by = $resolved_by,
                escalation_level = $escalation_level, escalated_at = $escalated_at, updated_at = $updated_at,
                texts = $texts
            WHERE id = $id;
            """;
        BindAlert(command, updated);
        command.Parameters.AddWithValue("$id", id);
        await command.ExecuteNonQueryAsync(cancellationToken);
        foreach (var (actor, action, detail) in mutation.Audit)
        {
            await InsertAuditAsync(connection, transaction, id, now, actor, action, detail, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return updated;
    }

    public async Task<IReadOnlyList<Alert>> ListAsync(AlertFilter filter, bool openOnly, CancellationToken cancellationToken)
    {
        var where = new StringBuilder("WHERE 1 = 1");
        var parameters = new List<(string, object?)>();
        if (openOnly)
        {
            where.Append(" AND state <> 'resolved'");
        }

        void Add(string column, string name, object? value)
        {
            if (value is not null)
            {
                where.Append(CultureInfo.InvariantCulture, $" AND {column} = {name}");
                parameters.Add((name, value));
            }
        }

        Add("site", "$site", filter.Site);
        Add("district", "$district", filter.District);
        Add("device_type", "$device_type", filter.DeviceType);
        Add("device_id", "$device_id", filter.DeviceId);
        Add("rule_id", "$rule_id", filter.RuleId);
        Add("assignee", "$assignee", filter.Assignee);
        Add("state", "$state", filter.State is { } state ? AlertStates.Name(state) : null);
        if (filter.MinSeverity is { } min)
        {
            where.Append(" AND severity >= $min_severity");
            parameters.Add(("$min_severity", (int)min));
        }

        if (filter.FiredFrom is { } firedFrom)
        {
            where.Append(" AND fired_at >= $fired_from");
            parameters.Add(("$fired_from", firedFrom.ToUnixTimeMilliseconds()));
        }

        if (filter.FiredBefore is { } firedBefore)
        {
            where.Append(" AND fired_at < $fired_before");
            parameters.Add(("$fired_before", firedBefore.ToUnixTimeMilliseconds()));
        }

        if (filter.TopLevelOnly)
        {
            where.Append(" AND parent_id IS NULL");
        }

        where.Append(" ORDER BY severity DESC, fired_at DESC LIMIT $limit");
        parameters.Add(("$limit", Math.Clamp(filter.Limit, 1, 10_000)));
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ReadAlertsAsync(connection, where.ToString(), cancellationToken, [.. parameters]);
    }

    public async Task<IReadOnlyList<Alert>> ListOpenAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ReadAlertsAsync(connection, "WHERE state <> 'resolved' ORDER BY id", cancellationToken);
    }

    public async Task<IReadOnlyList<Alert>> ChildrenAsync(long parentId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ReadAlertsAsync(connection, "WHERE parent_id = $p ORDER BY id", cancellationToken, ("$p", parentId));
    }

    /// <summary>Links the open alerts of <paramref name="childRuleId"/> in a district or site under a parent alert.</summary>
    public async Task<IReadOnlyList<long>> LinkChildrenAsync(long parentId, string childRuleId, string groupColumn, string group, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (groupColumn is not ("district" or "site"))
        {
            throw new ArgumentOutOfRangeException(nameof(groupColumn));
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var ids = new List<long>();
        using (var select = connection.CreateCommand())
        {
            select.Transaction = transaction;
            select.CommandText = $"SELECT id FROM alerts WHERE rule_id = $r AND {groupColumn} = $g AND state <> 'resolved' AND parent_id IS NULL AND id <> $p";
            select.Parameters.AddWithValue("$r", childRuleId);
            select.Parameters.AddWithValue("$g", group);
            select.Parameters.AddWithValue("$p", parentId);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetInt64(0));
            }
        }

        foreach (var id in ids)
        {
            using var update = connection.CreateCommand();
            update.Transaction = transaction;
            update.CommandText = "UPDATE alerts SET parent_id = $p, updated_at = $t WHERE id = $id";
            update.Parameters.AddWithValue("$p", parentId);
            update.Parameters.AddWithValue("$t", now.ToUnixTimeMilliseconds());
            update.Parameters.AddWithValue("$id", id);
            await update.ExecuteNonQueryAsync(cancellationToken);
            await InsertAuditAsync(connection, transaction, id, now, "engine", "grouped", $"under alert #{parentId}", cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return ids;
    }

    public async Task<IReadOnlyList<AlertAuditEntry>> AuditAsync(long alertId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, alert_id, at, actor, action, detail FROM alert_audit WHERE alert_id = $a ORDER BY id";
        command.Parameters.AddWithValue("$a", alertId);
        var list = new List<AlertAuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new AlertAuditEntry(reader.GetInt64(0), reader.GetInt64(1), FromMs(reader.GetInt64(2)), reader.GetString(3), reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
        }

        return list;
    }

    public async Task<AlertComment> AddCommentAsync(long alertId, string author, string text, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO alert_comments (alert_id, at, author, text) VALUES ($a, $t, $u, $x) RETURNING id";
        command.Parameters.AddWithValue("$a", alertId);
        command.Parameters.AddWithValue("$t", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$u", author);
        command.Parameters.AddWithValue("$x", text);
        var id = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        await InsertAuditAsync(connection, transaction, alertId, now, author, "commented", text.Length > 200 ? text[..200] + "…" : text, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new AlertComment(id, alertId, now, author, text);
    }

    public async Task<IReadOnlyList<AlertComment>> CommentsAsync(long alertId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, alert_id, at, author, text FROM alert_comments WHERE alert_id = $a ORDER BY id";
        command.Parameters.AddWithValue("$a", alertId);
        var list = new List<AlertComment>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new AlertComment(reader.GetInt64(0), reader.GetInt64(1), FromMs(reader.GetInt64(2)), reader.GetString(3), reader.GetString(4)));
        }

        return list;
    }

    public async Task<Silence> InsertSilenceAsync(Silence silence, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO alert_silences (kind, rule_id, site, district, device_type, device_id, starts_at, ends_at, reason, created_by, created_at,
                recurrence, recurrence_days, recurrence_start_minute, recurrence_duration_s, time_zone)
            VALUES ($kind, $rule, $site, $district, $type, $device, $starts, $ends, $reason, $by, $at, $rec, $rec_days, $rec_start, $rec_duration, $zone) RETURNING id
            """;
        var recurrence = SilenceRecurrenceColumns.From(silence.Recurrence);
        command.Parameters.AddWithValue("$rec", (object?)recurrence.Frequency ?? DBNull.Value);
        command.Parameters.AddWithValue("$rec_days", (object?)recurrence.Days ?? DBNull.Value);
        command.Parameters.AddWithValue("$rec_start", (object?)recurrence.StartMinute ?? DBNull.Value);
        command.Parameters.AddWithValue("$rec_duration", (object?)recurrence.DurationSeconds ?? DBNull.Value);
        command.Parameters.AddWithValue("$zone", (object?)recurrence.TimeZone ?? DBNull.Value);
        command.Parameters.AddWithValue("$kind", silence.Kind == SilenceKind.Maintenance ? "maintenance" : "silence");
        command.Parameters.AddWithValue("$rule", (object?)silence.RuleId ?? DBNull.Value);
        command.Parameters.AddWithValue("$site", (object?)silence.Site ?? DBNull.Value);
        command.Parameters.AddWithValue("$district", (object?)silence.District ?? DBNull.Value);
        command.Parameters.AddWithValue("$type", (object?)silence.DeviceType ?? DBNull.Value);
        command.Parameters.AddWithValue("$device", (object?)silence.DeviceId ?? DBNull.Value);
        command.Parameters.AddWithValue("$starts", silence.StartsAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$ends", silence.EndsAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$reason", silence.Reason);
        command.Parameters.AddWithValue("$by", silence.CreatedBy);
        command.Parameters.AddWithValue("$at", silence.CreatedAt.ToUnixTimeMilliseconds());
        var id = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        return silence with { Id = id };
    }

    public async Task<Silence?> EndSilenceAsync(long id, string user, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE alert_silences SET ended_by = $u, ended_at = $t WHERE id = $id AND ended_at IS NULL AND ends_at > $t";
        command.Parameters.AddWithValue("$u", user);
        command.Parameters.AddWithValue("$t", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$id", id);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return (await ReadSilencesAsync(connection, "WHERE id = $id", cancellationToken, ("$id", id))).FirstOrDefault();
    }

    /// <summary>Silences not yet over at <paramref name="now"/> (active or scheduled), or also past ones when asked.</summary>
    public async Task<IReadOnlyList<Silence>> ListSilencesAsync(DateTimeOffset now, bool includeExpired, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return includeExpired
            ? await ReadSilencesAsync(connection, "ORDER BY id DESC LIMIT 1000", cancellationToken)
            : await ReadSilencesAsync(connection, "WHERE ends_at > $now AND (ended_at IS NULL OR ended_at > $now) ORDER BY starts_at", cancellationToken, ("$now", now.ToUnixTimeMilliseconds()));
    }

    public async Task<AlertStatistics> StatisticsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        async Task<List<ResponseTimes>> Group(string groupExpression)
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                SELECT {groupExpression} AS g, COUNT(*), COUNT(acknowledged_at), COUNT(resolved_at),
                       AVG(acknowledged_at - fired_at), AVG(resolved_at - fired_at)
                FROM alerts WHERE fired_at >= $from AND fired_at < $to GROUP BY g ORDER BY g
                """;
            command.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
            var rows = new List<ResponseTimes>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var group = reader.IsDBNull(0) ? "(none)" : Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture)!;
                rows.Add(new ResponseTimes(
                    group,
                    reader.GetInt32(1),
                    reader.GetInt32(2),
                    reader.GetInt32(3),
                    reader.IsDBNull(4) ? null : TimeSpan.FromMilliseconds(reader.GetDouble(4)),
                    reader.IsDBNull(5) ? null : TimeSpan.FromMilliseconds(reader.GetDouble(5))));
            }

            return rows;
        }

        var bySeverity = (await Group("severity"))
            .Select(r => r with { Group = int.TryParse(r.Group, out var s) ? AlertSeverities.Name((AlertSeverity)s) : r.Group })
            .ToList();
        var bySite = await Group("COALESCE(site, district)");
        var overall = (await Group("'all'")).FirstOrDefault() ?? new ResponseTimes("all", 0, 0, 0, null, null);
        return new AlertStatistics(from, to, bySeverity, bySite, overall);
    }

    /// <summary>Deletes alerts resolved before <paramref name="before"/> with their audit, comments and notification records; returns how many.</summary>
    public async Task<int> PurgeResolvedAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            CREATE TEMP TABLE IF NOT EXISTS purge_ids (id INTEGER PRIMARY KEY);
            DELETE FROM purge_ids;
            INSERT INTO purge_ids SELECT id FROM alerts WHERE state = 'resolved' AND resolved_at < $before;
            UPDATE alerts SET parent_id = NULL WHERE parent_id IN (SELECT id FROM purge_ids);
            DELETE FROM alert_delivery_attempts WHERE notification_id IN (SELECT n.id FROM alert_notifications n JOIN purge_ids p ON n.alert_id = p.id);
            DELETE FROM alert_notifications WHERE alert_id IN (SELECT id FROM purge_ids);
            DELETE FROM alert_comments WHERE alert_id IN (SELECT id FROM purge_ids);
            DELETE FROM alert_audit WHERE alert_id IN (SELECT id FROM purge_ids);
            DELETE FROM alerts WHERE id IN (SELECT id FROM purge_ids);
            SELECT COUNT(*) FROM purge_ids;
            """;
        command.Parameters.AddWithValue("$before", before.ToUnixTimeMilliseconds());
        var count = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        await transaction.CommitAsync(cancellationToken);
        return count;
    }

    internal static async Task InsertAuditAsync(SqliteConnection connection, SqliteTransaction transaction, long alertId, DateTimeOffset at, string actor, string action, string? detail, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO alert_audit (alert_id, at, actor, action, detail) VALUES ($a, $t, $u, $x, $d)";
        command.Parameters.AddWithValue("$a", alertId);
        command.Parameters.AddWithValue("$t", at.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$u", actor);
        command.Parameters.AddWithValue("$x", action);
        command.Parameters.AddWithValue("$d", (object?)detail ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    internal static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static async Task<IReadOnlyList<Silence>> ReadSilencesAsync(SqliteConnection connection, string clause, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT id, kind, rule_id, site, district, device_type, device_id, starts_at, ends_at, reason, created_by, created_at, ended_by, ended_at, recurrence, recurrence_days, recurrence_start_minute, recurrence_duration_s, time_zone FROM alert_silences {clause}";
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var list = new List<Silence>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new Silence
            {
                Id = reader.GetInt64(0),
                Kind = reader.GetString(1) == "maintenance" ? SilenceKind.Maintenance : SilenceKind.Silence,
                RuleId = NullableString(reader, 2),
                Site = NullableString(reader, 3),
                District = NullableString(reader, 4),
                DeviceType = NullableString(reader, 5),
                DeviceId = NullableString(reader, 6),
                StartsAt = FromMs(reader.GetInt64(7)),
                EndsAt = FromMs(reader.GetInt64(8)),
                Reason = reader.GetString(9),
                CreatedBy = reader.GetString(10),
                CreatedAt = FromMs(reader.GetInt64(11)),
                EndedBy = NullableString(reader, 12),
                EndedAt = reader.IsDBNull(13) ? null : FromMs(reader.GetInt64(13)),
                Recurrence = SilenceRecurrenceColumns.To(
                    NullableString(reader, 14),
                    reader.IsDBNull(15) ? null : reader.GetInt32(15),
                    reader.IsDBNull(16) ? null : reader.GetInt32(16),
                    reader.IsDBNull(17) ? null : reader.GetInt64(17),
                    NullableString(reader, 18)),
            });
        }

        return list;
    }

    private static async Task<Alert?> ReadAlertAsync(SqliteConnection connection, SqliteTransaction? transaction, string clause, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        var list = await ReadAlertsAsync(connection, clause + " LIMIT 1", cancellationToken, transaction, parameters);
        return list.Count == 0 ? null : list[0];
    }

    private static Task<IReadOnlyList<Alert>> ReadAlertsAsync(SqliteConnection connection, string clause, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        ReadAlertsAsync(connection, clause, cancellationToken, null, parameters);

    private static async Task<IReadOnlyList<Alert>> ReadAlertsAsync(SqliteConnection connection, string clause, CancellationToken cancellationToken, SqliteTransaction? transaction, (string Name, object? Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {AlertColumns} FROM alerts {clause}";
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        var list = new List<Alert>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(AlertRows.Read(reader, static (r, i) => FromMs(r.GetInt64(i))));
        }

        return list;
    }

    private static void BindAlert(SqliteCommand command, Alert alert)
    {
        var p = command.Parameters;
        p.AddWithValue("$rule_id", alert.RuleId);
        p.AddWithValue("$rule_name", alert.RuleName);
        p.AddWithValue("$kind", alert.Kind);
        p.AddWithValue("$subject_key", alert.SubjectKey);
        p.AddWithValue("$subject", alert.Subject);
        p.AddWithValue("$severity", (int)alert.Severity);
        p.AddWithValue("$state", AlertStates.Name(alert.State));
        p.AddWithValue("$site", (object?)alert.Site ?? DBNull.Value);
        p.AddWithValue("$district", (object?)alert.District ?? DBNull.Value);
        p.AddWithValue("$device_type", (object?)alert.DeviceType ?? DBNull.Value);
        p.AddWithValue("$device_id", (object?)alert.DeviceId ?? DBNull.Value);
        p.AddWithValue("$summary", alert.Summary);
        p.AddWithValue("$value", alert.Value is { } v && double.IsFinite(v) ? v : DBNull.Value);
        p.AddWithValue("$labels", JsonSerializer.Serialize(alert.Labels));
        p.AddWithValue("$fired_at", alert.FiredAt.ToUnixTimeMilliseconds());
        p.AddWithValue("$last_fired_at", alert.LastFiredAt.ToUnixTimeMilliseconds());
        p.AddWithValue("$repeat_count", alert.RepeatCount);
        p.AddWithValue("$condition_active", alert.ConditionActive ? 1 : 0);
        p.AddWithValue("$flapping", alert.Flapping ? 1 : 0);
        p.AddWithValue("$silenced", alert.Silenced ? 1 : 0);
        p.AddWithValue("$parent_id", (object?)alert.ParentId ?? DBNull.Value);
        p.AddWithValue("$assignee", (object?)alert.Assignee ?? DBNull.Value);
        p.AddWithValue("$assigned_at", Ms(alert.AssignedAt));
        p.AddWithValue("$assigned_by", (object?)alert.AssignedBy ?? DBNull.Value);
        p.AddWithValue("$acknowledged_at", Ms(alert.AcknowledgedAt));
        p.AddWithValue("$acknowledged_by", (object?)alert.AcknowledgedBy ?? DBNull.Value);
        p.AddWithValue("$resolved_at", Ms(alert.ResolvedAt));
        p.AddWithValue("$resolved_by", (object?)alert.ResolvedBy ?? DBNull.Value);
        p.AddWithValue("$escalation_level", alert.EscalationLevel);
        p.AddWithValue("$escalated_at", Ms(alert.EscalatedAt));
        p.AddWithValue("$updated_at", alert.UpdatedAt.ToUnixTimeMilliseconds());
        p.AddWithValue("$texts", (object?)alert.Texts?.ToJson() ?? DBNull.Value);
    }

    private static object Ms(DateTimeOffset? time) => time is { } t ? t.ToUnixTimeMilliseconds() : DBNull.Value;

    private static string? NullableString(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DateTimeOffset? NullableTime(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : FromMs(reader.GetInt64(ordinal));
}
