using System.Data.Common;
using System.Text.Json;
using Ioc.Contract.Alerts;

namespace Ioc.Storage.Operational;

/// <summary>
/// Reads one row of the alerts table, in the column order every adapter selects (<c>AlertColumns</c>), into an
/// <see cref="Alert"/>. Only the time representation differs between databases, so each adapter passes how it reads one.
/// </summary>
internal static class AlertRows
{
    public static Alert Read(DbDataReader reader, Func<DbDataReader, int, DateTimeOffset> time)
    {
        DateTimeOffset? NullableTime(int i) => reader.IsDBNull(i) ? null : time(reader, i);
        string? NullableString(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        return new Alert
        {
            Id = reader.GetInt64(0),
            RuleId = reader.GetString(1),
            RuleName = reader.GetString(2),
            Kind = reader.GetString(3),
            SubjectKey = reader.GetString(4),
            Subject = reader.GetString(5),
            Severity = (AlertSeverity)reader.GetInt32(6),
            State = AlertStates.Parse(reader.GetString(7)),
            Site = NullableString(8),
            District = NullableString(9),
            DeviceType = NullableString(10),
            DeviceId = NullableString(11),
            Summary = reader.GetString(12),
            Value = reader.IsDBNull(13) ? null : reader.GetDouble(13),
            Labels = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(14)) ?? [],
            FiredAt = time(reader, 15),
            LastFiredAt = time(reader, 16),
            RepeatCount = reader.GetInt32(17),
            // SQLite keeps booleans as integers; GetBoolean reads both.
            ConditionActive = reader.GetBoolean(18),
            Flapping = reader.GetBoolean(19),
            Silenced = reader.GetBoolean(20),
            ParentId = reader.IsDBNull(21) ? null : reader.GetInt64(21),
            Assignee = NullableString(22),
            AssignedAt = NullableTime(23),
            AssignedBy = NullableString(24),
            AcknowledgedAt = NullableTime(25),
            AcknowledgedBy = NullableString(26),
            ResolvedAt = NullableTime(27),
            ResolvedBy = NullableString(28),
            EscalationLevel = reader.GetInt32(29),
            EscalatedAt = NullableTime(30),
            UpdatedAt = time(reader, 31),
            Texts = AlertTexts.FromJson(NullableString(32)),
        };
    }
}
