using System.Globalization;
using Ioc.Dashboard.Configuration;
using Microsoft.Extensions.Options;

namespace Ioc.Dashboard;

/// <summary>Now, today and formatting, in the console's time zone (Asia/Ho_Chi_Minh) and the user's culture.</summary>
public sealed class DashboardClock
{
    private readonly TimeProvider _time;

    public DashboardClock(TimeProvider time, IOptions<DashboardOptions> options)
    {
        _time = time;
        Zone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone);
    }

    public TimeZoneInfo Zone { get; }

    public DateTimeOffset UtcNow => _time.GetUtcNow();

    public DateTimeOffset Now => ToLocal(_time.GetUtcNow());

    public DateOnly Today => DateOnly.FromDateTime(Now.DateTime);

    /// <summary>Midnight today in the console's zone, as an instant.</summary>
    public DateTimeOffset StartOfToday
    {
        get
        {
            var now = Now;
            return new DateTimeOffset(now.Date, now.Offset);
        }
    }

    public DateTimeOffset StartOfMonth
    {
        get
        {
            var now = Now;
            return new DateTimeOffset(new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Unspecified), now.Offset);
        }
    }

    public DateTimeOffset ToLocal(DateTimeOffset time) => TimeZoneInfo.ConvertTime(time, Zone);

    public string Format(DateTimeOffset? time, string format = "g") =>
        time is { } t ? ToLocal(t).ToString(format, CultureInfo.CurrentCulture) : "—";

    /// <summary>A short age such as "5 min" / "3 h" / "2 d", culture-neutral units.</summary>
    public string Age(DateTimeOffset since)
    {
        var age = _time.GetUtcNow() - since;
        if (age < TimeSpan.Zero)
        {
            age = TimeSpan.Zero;
        }

        return age.TotalMinutes < 1 ? $"{(int)age.TotalSeconds} s"
            : age.TotalHours < 1 ? $"{(int)age.TotalMinutes} min"
            : age.TotalDays < 1 ? $"{(int)age.TotalHours} h"
            : $"{(int)age.TotalDays} d";
    }
}
