using Ioc.Contract.Alerts;

namespace Ioc.Storage.Operational;

/// <summary>
/// A silence's recurrence as the columns both adapters store: <c>recurrence</c> ('daily' / 'weekly' or null),
/// <c>recurrence_days</c> (<see cref="SilenceDays"/> bits), <c>recurrence_start_minute</c> (local minutes after midnight),
/// <c>recurrence_duration_s</c> (seconds) and <c>time_zone</c> (IANA id).
/// </summary>
internal static class SilenceRecurrenceColumns
{
    public static (string? Frequency, int? Days, int? StartMinute, long? DurationSeconds, string? TimeZone) From(SilenceRecurrence? recurrence) =>
        recurrence is null
            ? (null, null, null, null, null)
            : (recurrence.Frequency == SilenceFrequency.Weekly ? "weekly" : "daily", (int)recurrence.Days, recurrence.LocalStart.Hour * 60 + recurrence.LocalStart.Minute,
                (long)recurrence.Duration.TotalSeconds, recurrence.TimeZone);

    public static SilenceRecurrence? To(string? frequency, int? days, int? startMinute, long? durationSeconds, string? timeZone) =>
        frequency is null
            ? null
            : new SilenceRecurrence
            {
                Frequency = frequency == "weekly" ? SilenceFrequency.Weekly : SilenceFrequency.Daily,
                Days = (SilenceDays)(days ?? 0),
                LocalStart = TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(startMinute ?? 0)),
                Duration = TimeSpan.FromSeconds(durationSeconds ?? 0),
                TimeZone = timeZone ?? "UTC",
            };
}
