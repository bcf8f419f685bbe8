namespace Ioc.Contract.Alerts;

/// <summary>How often a recurring maintenance window opens.</summary>
public enum SilenceFrequency
{
    Daily,
    Weekly,
}

/// <summary>Days of the week a weekly window opens on (stored as this bit set).</summary>
[Flags]
public enum SilenceDays
{
    None = 0,
    Sunday = 1 << DayOfWeek.Sunday,
    Monday = 1 << DayOfWeek.Monday,
    Tuesday = 1 << DayOfWeek.Tuesday,
    Wednesday = 1 << DayOfWeek.Wednesday,
    Thursday = 1 << DayOfWeek.Thursday,
    Friday = 1 << DayOfWeek.Friday,
    Saturday = 1 << DayOfWeek.Saturday,
    All = Sunday | Monday | Tuesday | Wednesday | Thursday | Friday | Saturday,
}

/// <summary>
/// A window that opens again and again between a silence's <see cref="Silence.StartsAt"/> and <see cref="Silence.EndsAt"/>:
/// every day (or on <see cref="Days"/> for weekly) at <see cref="LocalStart"/> wall-clock time in <see cref="TimeZone"/>
/// (an IANA id such as <c>Asia/Ho_Chi_Minh</c>), for <see cref="Duration"/> (at most one day).
/// </summary>
public sealed record SilenceRecurrence
{
    /// <summary>The longest a recurring window may stay open.</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(1);

    public required SilenceFrequency Frequency { get; init; }

    /// <summary>Weekly: the days it opens on (local days in <see cref="TimeZone"/>); ignored for daily.</summary>
    public SilenceDays Days { get; init; }

    public required TimeOnly LocalStart { get; init; }

    public required TimeSpan Duration { get; init; }

    public required string TimeZone { get; init; }

    public static SilenceDays DayOf(DayOfWeek day) => (SilenceDays)(1 << (int)day);

    /// <summary>True when a window of this recurrence is open at <paramref name="now"/> (the zone must be known).</summary>
    public bool IsOpenAt(DateTimeOffset now)
    {
        if (!TryZone(TimeZone, out var zone) || Duration <= TimeSpan.Zero)
        {
            return false;
        }

        var local = TimeZoneInfo.ConvertTime(now, zone).DateTime.Date;
        // A window opening yesterday may still be open (at most one day long); look at today's and yesterday's.
        for (var back = 0; back <= 1; back++)
        {
            if (WindowOn(DateOnly.FromDateTime(local.AddDays(-back)), zone) is { } start && start <= now && now < start + Duration)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The first window to open at or after <paramref name="from"/>, or null within the next 8 days when none does.</summary>
    public DateTimeOffset? NextOpening(DateTimeOffset from)
    {
        if (!TryZone(TimeZone, out var zone))
        {
            return null;
        }

        var local = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(from, zone).DateTime);
        for (var ahead = 0; ahead <= 8; ahead++)
        {
            if (WindowOn(local.AddDays(ahead), zone) is { } start && start >= from)
            {
                return start;
            }
        }

        return null;
    }

    /// <summary>The instant the window of local date <paramref name="date"/> opens, or null if none opens that day.</summary>
    public DateTimeOffset? WindowOn(DateOnly date, TimeZoneInfo zone)
    {
        if (Frequency == SilenceFrequency.Weekly && (Days & DayOf(date.DayOfWeek)) == 0)
        {
            return null;
        }

        var wall = date.ToDateTime(LocalStart, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(wall))
        {
            // A wall time skipped by a daylight-saving jump opens at the first valid minute after it.
            wall = wall.AddHours(1);
        }

        return new DateTimeOffset(wall, zone.GetUtcOffset(wall));
    }

    public static bool TryZone(string? id, out TimeZoneInfo zone)
    {
        if (!string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var found))
        {
            zone = found;
            return true;
        }

        zone = TimeZoneInfo.Utc;
        return false;
    }
}
