using System.Text;
using System.Text.Json;
using Dapper;
using Ioc.Contract.Alerts;
using Npgsql;
using NpgsqlTypes;

namespace Ioc.Storage.Operational.Postgres;

/// <summary>
/// Alerts, their audit trail, comments and silences in PostgreSQL. An update reads the row with <c>FOR UPDATE</c> in its
/// transaction, so concurrent changes from the engine and the dashboards queue up instead of overwriting each other.
/// </summary>
internal sealed class PostgresAlertStore(NpgsqlDataSource dataSource, Func<CancellationToken, Task> migrate) : IAlertStore
{
    private const string AlertColumns = """
        id, rule_id, rule_name, kind, subject_key, subject, severity, state, site, district, device_type, device_id, summary,
        value, labels::text, fired_at, last_fired_at, repeat_count, condition_active, flapping, silenced, parent_id, assignee,
        assigned_at, assigned_by, acknowledged_at, acknowledged_by, resolved_at, resolved_by, escalation_level, escalated_at, updated_at, texts::text
        """;

    private const string SilenceColumns = """
        id AS Id, kind AS Kind, rule_id AS RuleId, site AS Site, district AS District, device_type AS DeviceType, device_id AS DeviceId,
        starts_at AS StartsAt, ends_at AS EndsAt, reason AS Reason, created_by AS CreatedBy, created_at AS CreatedAt, ended_by AS EndedBy, ended_at AS EndedAt,
        recurrence AS Recurrence, recurrence_days AS RecurrenceDays, recurrence_start_minute AS RecurrenceStartMinute, recurrence_duration_s AS RecurrenceDurationSeconds,
        time_zone AS TimeZone
        """;

    public Task MigrateAsync(CancellationToken cancellationToken) => migrate(cancellationToken);

    public async Task<Alert?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await ReadAlertsAsync(connection, null, "WHERE id = @id", cancellationToken, ("id", id))).FirstOrDefault();
    }

    public async Task<Alert?> FindOpenAsync(string ruleId, string subjectKey, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await ReadAlertsAsync(connection, null, "WHERE rule_id = @r AND subject_key = @s AND state <> 'resolved' LIMIT 1", cancellationToken, ("r", ruleId), ("s", subjectKey))).FirstOrDefault();
    }

    public async Task<Alert> InsertAsync(Alert alert, string actor, string action, string? detail, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO alerts (rule_id, rule_name, kind, subject_key, subject, severity, state, site, district, device_type, device_id,
                summary, value, labels, fired_at, last_fired_at, repeat_count, condition_active, flapping, silenced, parent_id,
                escalation_level, updated_at, texts)
            VALUES (@rule_id, @rule_name, @kind, @subject_key, @subject, @severity, @state, @site, @district, @device_type, @device_id,
                @summary, @value, @labels, @fired_at, @last_fired_at, @repeat_count, @condition_active, @flapping, @silenced, @parent_id,
                0, @updated_at, @texts)
            RETURNING id
            """,
            connection,
            transaction);
        BindAlert(command, alert);
        var id = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        await InsertAuditAsync(connection, transaction, id, alert.FiredAt, actor, action, detail, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return alert with { Id = id };
    }

    public async Task<Alert?> UpdateAsync(long id, DateTimeOffset now, Func<Alert, AlertMutation?> change, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var current = (await ReadAlertsAsync(connection, transaction, "WHERE id = @id FOR UPDATE", cancellationToken, ("id", id))).FirstOrDefault();
        if (current is null || change(current) is not { } mutation)
        {
            return null;
        }

        var updated = mutation.Alert with { UpdatedAt = now };
        await using var command = new NpgsqlCommand(
            """
            UPDATE alerts SET severity = @severity, state = @state, summary = @summary, value = @value, labels = @labels,
                last_fired_at = @last_fired_at, repeat_count = @repeat_count, condition_active = @condition_active, flapping = @flapping,
                silenced = @silenced, parent_id = @parent_id, assignee = @assignee, assigned_at = @assigned_at, assigned_by = @assigned_by,
                acknowledged_at = @acknowledged_at, acknowledged_by = @acknowledged_by, resolved_at = @resolved_at, resolved_by = @resolved_by,
                escalation_level = @escalation_level, escalated_at = @escalated_at, updated_at = @updated_at,
                texts = @texts
            WHERE id = @id
            """,
            connection,
            transaction);
        BindAlert(command, updated);
        command.Parameters.AddWithValue("id", id);
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
        var where = new StringBuilder("WHERE true");
        var parameters = new List<(string, object?)>();
        if (openOnly)
        {
            where.Append(" AND state <> 'resolved'");
        }

        void Add(string column, object? value)
        {
            if (value is not null)
            {
                where.Append(" AND ").Append(column).Append(" = @").Append(column);
                parameters.Add((column, value));
            }
        }

        Add("site", filter.Site);
        Add("district", filter.District);
        Add("device_type", filter.DeviceType);
        Add("device_id", filter.DeviceId);
        Add("rule_id", filter.RuleId);
        Add("assignee", filter.Assignee);
        Add("state", filter.State is { } state ? AlertStates.Name(state) : null);
        if (filter.MinSeverity is { } min)
        {
            where.Append(" AND severity >= @min_severity");
            parameters.Add(("min_severity", (int)min));
        }

        if (filter.FiredFrom is { } firedFrom)
        {
            where.Append(" AND fired_at >= @fired_from");
            parameters.Add(("fired_from", firedFrom.ToUniversalTime()));
        }

        if (filter.FiredBefore is { } firedBefore)
        {
            where.Append(" AND fired_at < @fired_before");
            parameters.Add(("fired_before", firedBefore.ToUniversalTime()));
        }

        if (filter.TopLevelOnly)
        {
            where.Append(" AND parent_id IS NULL");
        }

        where.Append(" ORDER BY severity DESC, fired_at DESC LIMIT @limit");
        parameters.Add(("limit", Math.Clamp(filter.Limit, 1, 10_000)));
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await ReadAlertsAsync(connection, null, where.ToString(), cancellationToken, [.. parameters]);
    }

    public async Task<IReadOnlyList<Alert>> ListOpenAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await ReadAlertsAsync(connection, null, "WHERE state <> 'resolved' ORDER BY id", cancellationToken);
    }

    public async Task<IReadOnlyList<Alert>> ChildrenAsync(long parentId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await ReadAlertsAsync(connection, null, "WHERE parent_id = @p ORDER BY id", cancellationToken, ("p", parentId));
    }

    public async Task<IReadOnlyList<long>> LinkChildrenAsync(long parentId, string childRuleId, string groupColumn, string group, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (groupColumn is not ("district" or "site"))
        {
            throw new ArgumentOutOfRangeException(nameof(groupColumn));
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var ids = (await connection.QueryAsync<long>(new CommandDefinition(
            $"""
            UPDATE alerts SET parent_id = @parentId, updated_at = @now
            WHERE rule_id = @childRuleId AND {groupColumn} = @group AND state <> 'resolved' AND parent_id IS NULL AND id <> @parentId
            RETURNING id
            """,
            new { parentId, now = now.ToUniversalTime(), childRuleId, group },
            transaction,
            cancellationToken: cancellationToken))).Order().ToList();
        foreach (var id in ids)
        {
            await InsertAuditAsync(connection, transaction, id, now, "engine", "grouped", $"under alert #{parentId}", cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return ids;
    }

    public async Task<IReadOnlyList<AlertAuditEntry>> AuditAsync(long alertId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long Id, long AlertId, DateTime At, string Actor, string Action, string? Detail)>(new CommandDefinition(
            "SELECT id, alert_id, at, actor, action, detail FROM alert_audit WHERE alert_id = @alertId ORDER BY id", new { alertId }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new AlertAuditEntry(r.Id, r.AlertId, Utc(r.At), r.Actor, r.Action, r.Detail))];
    }

    public async Task<AlertComment> AddCommentAsync(long alertId, string author, string text, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO alert_comments (alert_id, at, author, text) VALUES (@alertId, @now, @author, @text) RETURNING id",
            new { alertId, now = now.ToUniversalTime(), author, text },
            transaction,
            cancellationToken: cancellationToken));
        await InsertAuditAsync(connection, transaction, alertId, now, author, "commented", text.Length > 200 ? text[..200] + "…" : text, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new AlertComment(id, alertId, now, author, text);
    }

    public async Task<IReadOnlyList<AlertComment>> CommentsAsync(long alertId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long Id, long AlertId, DateTime At, string Author, string Text)>(new CommandDefinition(
            "SELECT id, alert_id, at, author, text FROM alert_comments WHERE alert_id = @alertId ORDER BY id", new { alertId }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new AlertComment(r.Id, r.AlertId, Utc(r.At), r.Author, r.Text))];
    }

    public async Task<Silence> InsertSilenceAsync(Silence silence, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var recurrence = SilenceRecurrenceColumns.From(silence.Recurrence);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO alert_silences (kind, rule_id, site, district, device_type, device_id, starts_at, ends_at, reason, created_by, created_at,
                recurrence, recurrence_days, recurrence_start_minute, recurrence_duration_s, time_zone)
            VALUES (@kind, @RuleId, @Site, @District, @DeviceType, @DeviceId, @starts, @ends, @Reason, @CreatedBy, @created,
                @rec, @recDays, @recStart, @recDuration, @zone) RETURNING id
            """,
            new
            {
                kind = silence.Kind == SilenceKind.Maintenance ? "maintenance" : "silence",
                silence.RuleId,
                silence.Site,
                silence.District,
                silence.DeviceType,
                silence.DeviceId,
                starts = silence.StartsAt.ToUniversalTime(),
                ends = silence.EndsAt.ToUniversalTime(),
                silence.Reason,
                silence.CreatedBy,
                created = silence.CreatedAt.ToUniversalTime(),
                rec = recurrence.Frequency,
                recDays = recurrence.Days,
                recStart = recurrence.StartMinute,
                recDuration = recurrence.DurationSeconds,
                zone = recurrence.TimeZone,
            },
            cancellationToken: cancellationToken));
        return silence with { Id = id };
    }

    public async Task<Silence?> EndSilenceAsync(long id, string user, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE alert_silences SET ended_by = @user, ended_at = @now WHERE id = @id AND ended_at IS NULL AND ends_at > @now",
            new { user, now = now.ToUniversalTime(), id },
            cancellationToken: cancellationToken));
        return (await ReadSilencesAsync(connection, "WHERE id = @id", new { id }, cancellationToken)).FirstOrDefault();
    }

    public async Task<IReadOnlyList<Silence>> ListSilencesAsync(DateTimeOffset now, bool includeExpired, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return includeExpired
            ? await ReadSilencesAsync(connection, "ORDER BY id DESC LIMIT 1000", null, cancellationToken)
            : await ReadSilencesAsync(connection, "WHERE ends_at > @now AND (ended_at IS NULL OR ended_at > @now) ORDER BY starts_at", new { now = now.ToUniversalTime() }, cancellationToken);
    }

    public async Task<AlertStatistics> StatisticsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        async Task<List<ResponseTimes>> Group(string groupExpression)
        {
            var rows = await connection.QueryAsync<(string? Group, long Alerts, long Acknowledged, long Resolved, double? Mtta, double? Mttr)>(new CommandDefinition(
                $"""
                SELECT ({groupExpression})::text AS g, COUNT(*), COUNT(acknowledged_at), COUNT(resolved_at),
                       AVG(extract(epoch FROM acknowledged_at - fired_at) * 1000)::double precision,
                       AVG(extract(epoch FROM resolved_at - fired_at) * 1000)::double precision
                FROM alerts WHERE fired_at >= @from AND fired_at < @to GROUP BY 1 ORDER BY 1
                """,
                new { from = from.ToUniversalTime(), to = to.ToUniversalTime() },
                cancellationToken: cancellationToken));
            return [.. rows.Select(r => new ResponseTimes(
                r.Group ?? "(none)",
                (int)r.Alerts,
                (int)r.Acknowledged,
                (int)r.Resolved,
                r.Mtta is { } a ? TimeSpan.FromMilliseconds(a) : null,
                r.Mttr is { } m ? TimeSpan.FromMilliseconds(m) : null))];
        }

        // Ordered numerically, as SQLite orders its integer column.
        var bySeverity = (await Group("lpad(severity::text, 2, '0')"))
            .Select(r => r with { Group = int.TryParse(r.Group, out var s) ? AlertSeverities.Name((AlertSeverity)s) : r.Group })
            .ToList();
        var bySite = await Group("COALESCE(site, district)");
        var overall = (await Group("'all'")).FirstOrDefault() ?? new ResponseTimes("all", 0, 0, 0, null, null);
        return new AlertStatistics(from, to, bySeverity, bySite, overall);
    }

    public async Task<int> PurgeResolvedAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var ids = (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT id FROM alerts WHERE state = 'resolved' AND resolved_at < @before FOR UPDATE", new { before = before.ToUniversalTime() }, transaction, cancellationToken: cancellationToken))).ToArray();
        if (ids.Length > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE alerts SET parent_id = NULL WHERE parent_id = ANY(@ids);
                DELETE FROM alert_delivery_attempts WHERE notification_id IN (SELECT id FROM alert_notifications WHERE alert_id = ANY(@ids));
                DELETE FROM alert_notifications WHERE alert_id = ANY(@ids);
                DELETE FROM alert_comments WHERE alert_id = ANY(@ids);
                DELETE FROM alert_audit WHERE alert_id = ANY(@ids);
                DELETE FROM alerts WHERE id = ANY(@ids);
                """,
                new { ids },
                transaction,
                cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return ids.Length;
    }

    internal static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));

    private static async Task InsertAuditAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long alertId, DateTimeOffset at, string actor, string action, string? detail, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO alert_audit (alert_id, at, actor, action, detail) VALUES (@alertId, @at, @actor, @action, @detail)",
            new { alertId, at = at.ToUniversalTime(), actor, action, detail },
            transaction,
            cancellationToken: cancellationToken));

    private static async Task<IReadOnlyList<Silence>> ReadSilencesAsync(NpgsqlConnection connection, string clause, object? parameters, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<SilenceRow>(new CommandDefinition($"SELECT {SilenceColumns} FROM alert_silences {clause}", parameters, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToSilence())];
    }

    private static async Task<IReadOnlyList<Alert>> ReadAlertsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string clause, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = new NpgsqlCommand($"SELECT {AlertColumns} FROM alerts {clause}", connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        var list = new List<Alert>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(AlertRows.Read(reader, static (r, i) => Utc(r.GetDateTime(i))));
        }

        return list;
    }

    private static void BindAlert(NpgsqlCommand command, Alert alert)
    {
        var p = command.Parameters;
        p.AddWithValue("rule_id", alert.RuleId);
        p.AddWithValue("rule_name", alert.RuleName);
        p.AddWithValue("kind", alert.Kind);
        p.AddWithValue("subject_key", alert.SubjectKey);
        p.AddWithValue("subject", alert.Subject);
        p.AddWithValue("severity", (int)alert.Severity);
        p.AddWithValue("state", AlertStates.Name(alert.State));
        p.AddWithValue("site", (object?)alert.Site ?? DBNull.Value);
        p.AddWithValue("district", (object?)alert.District ?? DBNull.Value);
        p.AddWithValue("device_type", (object?)alert.DeviceType ?? DBNull.Value);
        p.AddWithValue("device_id", (object?)alert.DeviceId ?? DBNull.Value);
        p.AddWithValue("summary", alert.Summary);
        p.AddWithValue("value", NpgsqlDbType.Double, alert.Value is { } v && double.IsFinite(v) ? v : DBNull.Value);
        p.AddWithValue("labels", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(alert.Labels));
        p.AddWithValue("fired_at", alert.FiredAt.ToUniversalTime());
        p.AddWithValue("last_fired_at", alert.LastFiredAt.ToUniversalTime());
        p.AddWithValue("repeat_count", alert.RepeatCount);
        p.AddWithValue("condition_active", alert.ConditionActive);
        p.AddWithValue("flapping", alert.Flapping);
        p.AddWithValue("silenced", alert.Silenced);
        p.AddWithValue("parent_id", NpgsqlDbType.Bigint, (object?)alert.ParentId ?? DBNull.Value);
        p.AddWithValue("assignee", NpgsqlDbType.Text, (object?)alert.Assignee ?? DBNull.Value);
        p.AddWithValue("assigned_at", NpgsqlDbType.TimestampTz, Time(alert.AssignedAt));
        p.AddWithValue("assigned_by", NpgsqlDbType.Text, (object?)alert.AssignedBy ?? DBNull.Value);
        p.AddWithValue("acknowledged_at", NpgsqlDbType.TimestampTz, Time(alert.AcknowledgedAt));
        p.AddWithValue("acknowledged_by", NpgsqlDbType.Text, (object?)alert.AcknowledgedBy ?? DBNull.Value);
        p.AddWithValue("resolved_at", NpgsqlDbType.TimestampTz, Time(alert.ResolvedAt));
        p.AddWithValue("resolved_by", NpgsqlDbType.Text, (object?)alert.ResolvedBy ?? DBNull.Value);
        p.AddWithValue("escalation_level", alert.EscalationLevel);
        p.AddWithValue("escalated_at", NpgsqlDbType.TimestampTz, Time(alert.EscalatedAt));
        p.AddWithValue("updated_at", alert.UpdatedAt.ToUniversalTime());
        p.AddWithValue("texts", NpgsqlDbType.Jsonb, (object?)alert.Texts?.ToJson() ?? DBNull.Value);
    }

    private static object Time(DateTimeOffset? time) => time is { } t ? t.ToUniversalTime() : DBNull.Value;

    private static DateTimeOffset Time(NpgsqlDataReader reader, int ordinal) => Utc(reader.GetDateTime(ordinal));

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DateTimeOffset? NullableTime(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : Time(reader, ordinal);

    private sealed class SilenceRow
    {
        public long Id { get; init; }

        public string Kind { get; init; } = "";

        public string? RuleId { get; init; }

        public string? Site { get; init; }

        public string? District { get; init; }

        public string? DeviceType { get; init; }

        public string? DeviceId { get; init; }

        public DateTime StartsAt { get; init; }

        public DateTime EndsAt { get; init; }

        public string Reason { get; init; } = "";

        public string CreatedBy { get; init; } = "";

        public DateTime CreatedAt { get; init; }

        public string? EndedBy { get; init; }

        public DateTime? EndedAt { get; init; }

        public string? Recurrence { get; init; }

        public int? RecurrenceDays { get; init; }

        public int? RecurrenceStartMinute { get; init; }

        public long? RecurrenceDurationSeconds { get; init; }

        public string? TimeZone { get; init; }

        public Silence ToSilence() => new()
        {
            Id = Id,
            Kind = Kind == "maintenance" ? SilenceKind.Maintenance : SilenceKind.Silence,
            RuleId = RuleId,
            Site = Site,
            District = District,
            DeviceType = DeviceType,
            DeviceId = DeviceId,
            StartsAt = Utc(StartsAt),
            EndsAt = Utc(EndsAt),
            Reason = Reason,
            CreatedBy = CreatedBy,
            CreatedAt = Utc(CreatedAt),
            EndedBy = EndedBy,
            EndedAt = EndedAt is { } ended ? Utc(ended) : null,
            Recurrence = SilenceRecurrenceColumns.To(Recurrence, RecurrenceDays, RecurrenceStartMinute, RecurrenceDurationSeconds, TimeZone),
        };
    }
}
