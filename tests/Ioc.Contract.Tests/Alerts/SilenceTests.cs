using Ioc.Contract.Alerts;

namespace Ioc.Contract.Tests.Alerts;

public sealed class SilenceTests
{
    private const string Hcm = "Asia/Ho_Chi_Minh";

    // Tuesday 24/11/2026 08:00 UTC = 15:00 in Hà Nội / Hồ Chí Minh (UTC+7 all year, no daylight saving).
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset Local(int day, int hour, int minute) => new(2026, 11, day, hour, minute, 0, TimeSpan.FromHours(7));

    private static Silence Weekly(SilenceDays days, TimeOnly start, TimeSpan duration) => new()
    {
        Site = "dc-tinh",
        StartsAt = Now,
        EndsAt = Now.AddDays(60),
        Reason = "bảo trì",
        CreatedBy = "lan",
        Recurrence = new SilenceRecurrence { Frequency = SilenceFrequency.Weekly, Days = days, LocalStart = start, Duration = duration, TimeZone = Hcm },
    };

    [Fact]
    public void IsActiveAt_WeeklyWindowAcrossLocalMidnight_OpenOnlyInsideTheWindow()
    {
        // Saturday 23:00 local for 2 h: open Sat 23:00 – Sun 01:00 local (16:00–18:00 UTC on Saturday).
        var silence = Weekly(SilenceDays.Saturday, new TimeOnly(23, 0), TimeSpan.FromHours(2));

        Assert.False(silence.IsActiveAt(Local(28, 22, 59)));
        Assert.True(silence.IsActiveAt(Local(28, 23, 0)));
        Assert.True(silence.IsActiveAt(Local(29, 0, 30)));
        Assert.False(silence.IsActiveAt(Local(29, 1, 0)));
        Assert.False(silence.IsActiveAt(Local(29, 23, 30)));
        Assert.True(silence.IsActiveAt(Local(28, 23, 30).AddDays(7)));
    }

    [Fact]
    public void IsActiveAt_WallClockIsTheWindowsZoneNotUtc()
    {
        // 23:00–01:00 in Asia/Ho_Chi_Minh is 16:00–18:00 UTC: at 23:30 UTC (06:30 local Sunday) it is closed.
        var silence = Weekly(SilenceDays.Saturday, new TimeOnly(23, 0), TimeSpan.FromHours(2));

        Assert.True(silence.IsActiveAt(new DateTimeOffset(2026, 11, 28, 16, 30, 0, TimeSpan.Zero)));
        Assert.False(silence.IsActiveAt(new DateTimeOffset(2026, 11, 28, 23, 30, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void StatusAt_RecurringWindow_ScheduledBetweenWindowsActiveInsideExpiredAfterTheSeries()
    {
        var silence = Weekly(SilenceDays.Tuesday | SilenceDays.Thursday, new TimeOnly(22, 0), TimeSpan.FromHours(1)) with { EndsAt = Local(27, 0, 0) };

        Assert.Equal(SilenceStatus.Scheduled, silence.StatusAt(Local(24, 15, 0)));
        Assert.Equal(Local(24, 22, 0), silence.NextStart(Local(24, 15, 0)));
        Assert.Equal(SilenceStatus.Active, silence.StatusAt(Local(24, 22, 30)));
        Assert.Equal(Local(26, 22, 0), silence.NextStart(Local(24, 23, 0)));
        Assert.Equal(SilenceStatus.Expired, silence.StatusAt(Local(27, 0, 0)));
        // Ended by hand: expired at once even though later windows were planned.
        Assert.Equal(SilenceStatus.Expired, (silence with { EndedAt = Local(25, 0, 0), EndedBy = "lan" }).StatusAt(Local(25, 1, 0)));
    }

    [Fact]
    public void StatusAt_OneOffWindowInTheFuture_IsScheduledThenActiveThenExpired()
    {
        var silence = new Silence { DeviceId = "DC-UPS-01", StartsAt = Now.AddHours(2), EndsAt = Now.AddHours(4), Reason = "thay ắc quy", CreatedBy = "lan" };

        Assert.Equal(SilenceStatus.Scheduled, silence.StatusAt(Now));
        Assert.Equal(SilenceStatus.Active, silence.StatusAt(Now.AddHours(2)));
        Assert.Equal(SilenceStatus.Expired, silence.StatusAt(Now.AddHours(4)));
    }

    [Fact]
    public void IsOpenAt_DailyWindow_OpensEveryDay()
    {
        var recurrence = new SilenceRecurrence { Frequency = SilenceFrequency.Daily, LocalStart = new TimeOnly(2, 0), Duration = TimeSpan.FromMinutes(30), TimeZone = Hcm };

        for (var day = 24; day <= 30; day++)
        {
            Assert.True(recurrence.IsOpenAt(Local(day, 2, 15)));
            Assert.False(recurrence.IsOpenAt(Local(day, 2, 30)));
        }
    }
}
