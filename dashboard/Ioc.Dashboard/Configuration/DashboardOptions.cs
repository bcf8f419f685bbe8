namespace Ioc.Dashboard.Configuration;

/// <summary>Section <c>Ioc:Dashboard</c>: who may log in, how the console counts time, what it aims for.</summary>
public sealed class DashboardOptions
{
    public const string SectionName = "Ioc:Dashboard";

    /// <summary>Password of the <c>admin</c> created on first start; when empty one is generated and printed once.</summary>
    public string? AdminPassword { get; set; }

    /// <summary>Failed logins in a row before an account is locked.</summary>
    public int MaxFailedLogins { get; set; } = 5;

    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a login lasts without activity.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>IANA id of the time zone every date is shown in.</summary>
    public string TimeZone { get; set; } = "Asia/Ho_Chi_Minh";

    public string DefaultCulture { get; set; } = "vi-VN";

    /// <summary>Availability target in percent (Tier III: 99.982).</summary>
    public double UptimeTarget { get; set; } = 99.982;

    /// <summary>Seconds between panels of the kiosk overview.</summary>
    public int KioskRotateSeconds { get; set; } = 15;

    /// <summary>The site that is the provincial data center.</summary>
    public string DataCenterSite { get; set; } = "dc-tinh";

    /// <summary>Wi-Fi AP metric counting connected users (summed for the overview).</summary>
    public string WifiClientsMetric { get; set; } = "clients";

    /// <summary>Metric of current traffic in Mbit/s (summed over Wi-Fi APs and routers for the overview).</summary>
    public string TrafficMetric { get; set; } = "throughput_mbps";

    public static IReadOnlyList<string> SupportedCultures { get; } = ["vi-VN", "en-US"];

    public IEnumerable<string> Validate()
    {
        if (MaxFailedLogins is < 1 or > 100)
        {
            yield return $"{SectionName}:MaxFailedLogins must be between 1 and 100 (was {MaxFailedLogins}).";
        }

        if (LockoutDuration < TimeSpan.FromSeconds(1))
        {
            yield return $"{SectionName}:LockoutDuration must be at least 00:00:01 (was {LockoutDuration}).";
        }

        if (SessionLifetime < TimeSpan.FromMinutes(1))
        {
            yield return $"{SectionName}:SessionLifetime must be at least 00:01:00 (was {SessionLifetime}).";
        }

        if (!System.TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
        {
            yield return $"{SectionName}:TimeZone '{TimeZone}' is not a time zone this machine knows (install tzdata, or use an IANA id like Asia/Ho_Chi_Minh).";
        }

        if (!SupportedCultures.Contains(DefaultCulture))
        {
            yield return $"{SectionName}:DefaultCulture must be one of {string.Join(", ", SupportedCultures)} (was '{DefaultCulture}').";
        }

        if (UptimeTarget is <= 0 or > 100)
        {
            yield return $"{SectionName}:UptimeTarget must be a percentage in (0, 100] (was {UptimeTarget}).";
        }

        if (KioskRotateSeconds is < 3 or > 3600)
        {
            yield return $"{SectionName}:KioskRotateSeconds must be between 3 and 3600 (was {KioskRotateSeconds}).";
        }

        if (AdminPassword is { Length: > 0 and < 12 })
        {
            yield return $"{SectionName}:AdminPassword must be at least 12 characters, or empty to have one generated.";
        }
    }
}
