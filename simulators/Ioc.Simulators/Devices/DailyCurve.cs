namespace Ioc.Simulators.Devices;

/// <summary>
/// Daily load shapes in Vietnam's local time (Asia/Ho_Chi_Minh, UTC+7 all year: no daylight saving since 1975,
/// so a fixed offset keeps runs identical on every machine). Each returns a level in [0, 1].
/// </summary>
public static class DailyCurve
{
    public static readonly TimeSpan VietnamOffset = TimeSpan.FromHours(7);

    public static double LocalHour(DateTimeOffset at)
    {
        var local = at.ToOffset(VietnamOffset);
        return local.Hour + (local.Minute / 60.0) + (local.Second / 3600.0);
    }

    public static bool IsWeekend(DateTimeOffset at) => at.ToOffset(VietnamOffset).DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

    /// <summary>Public Wi-Fi: quiet nights, a morning and lunch bump, busiest 19:00–21:00.</summary>
    public static double PublicWifi(DateTimeOffset at)
    {
        var h = LocalHour(at);
        var level = 0.04 + (0.30 * Bump(h, 7.5, 1.3)) + (0.45 * Bump(h, 11.8, 1.4)) + (0.35 * Bump(h, 16.5, 1.5)) + (0.95 * Bump(h, 20.0, 1.8));
        return Math.Clamp(IsWeekend(at) ? level * 1.1 : level, 0, 1);
    }

    /// <summary>Government offices: working hours on weekdays (07:30–11:30, 13:30–17:00), near idle otherwise.</summary>
    public static double Office(DateTimeOffset at)
    {
        var h = LocalHour(at);
        if (IsWeekend(at))
        {
            return 0.05;
        }

        var level = 0.05 + (0.85 * Plateau(h, 7.5, 11.5)) + (0.9 * Plateau(h, 13.5, 17.0));
        return Math.Clamp(level, 0, 1);
    }

    /// <summary>Data-center compute: office-hours services plus the 01:00–03:00 backup window.</summary>
    public static double Compute(DateTimeOffset at) =>
        Math.Clamp(0.18 + (0.45 * Office(at)) + (0.25 * Bump(LocalHour(at), 2.0, 0.7)), 0, 1);

    /// <summary>Network backbone: a blend of office and public traffic.</summary>
    public static double Backbone(DateTimeOffset at) => Math.Clamp(0.1 + (0.5 * Office(at)) + (0.5 * PublicWifi(at)), 0, 1);

    private static double Bump(double hour, double centre, double width)
    {
        var d = Math.Abs(hour - centre);
        d = Math.Min(d, 24 - d);
        return Math.Exp(-(d * d) / (2 * width * width));
    }

    private static double Plateau(double hour, double from, double to)
    {
        const double ramp = 0.5;
        if (hour < from - ramp || hour > to + ramp)
        {
            return 0;
        }

        if (hour < from)
        {
            return (hour - (from - ramp)) / ramp;
        }

        return hour > to ? ((to + ramp) - hour) / ramp : 1;
    }
}
