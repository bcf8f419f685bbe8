namespace Ioc.Dashboard.Configuration;

/// <summary>Section <c>Ioc:Dashboard</c>: who may log in, how the console counts time, what it aims for.</summary>
public sealed class DashboardOptions
{
    public const string SectionName = "Ioc:Dashboard";

    /// <summary>Password of the <c>admin</c> created on first start; when empty one is generated and printed once.</summary>
    public string? AdminPassword { get; set; }

    /// <summary>Failed logins in a row from one client address against one account before that address is refused for that account (see docs/security.md).</summary>
    public int MaxFailedLogins { get; set; } = 5;

    /// <summary>Failed logins in a row against one account, from any address, before the account itself is locked (an admin can unlock it).</summary>
    public int AccountLockoutThreshold { get; set; } = 20;

    /// <summary>How long either lock lasts.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Login form posts one client address may send per <see cref="LoginRateWindow"/>; more are answered 429.</summary>
    public int LoginRateLimit { get; set; } = 10;

    public TimeSpan LoginRateWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a login lasts without activity (sliding).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>How long a login lasts at most from the moment the password was given, however active the user.</summary>
    public TimeSpan SessionMaxAge { get; set; } = TimeSpan.FromHours(12);

    /// <summary>How often an open page (a Blazor circuit) re-checks that its login is still valid (stamp, maximum age).</summary>
    public TimeSpan CircuitRevalidationInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The dashboard's address as people open it (<c>https://ioc.haiduong.gov.vn</c>). The alert engine reads the same key
    /// (unless <c>Ioc:Alerting:Notifications:DashboardUrl</c> is set) for the link in every notification: <c>{PublicUrl}/alerts/{id}</c>.
    /// </summary>
    public string? PublicUrl { get; set; }

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
        if (PublicUrl is { } url && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            yield return $"{SectionName}:PublicUrl must be the dashboard's absolute http(s) address, e.g. https://ioc.haiduong.gov.vn (was '{url}').";
        }

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

        if (SessionMaxAge < SessionLifetime)
        {
            yield return $"{SectionName}:SessionMaxAge must be at least SessionLifetime ({SessionLifetime}) (was {SessionMaxAge}).";
        }

        if (CircuitRevalidationInterval < TimeSpan.FromSeconds(1) || CircuitRevalidationInterval > TimeSpan.FromMinutes(5))
        {
            yield return $"{SectionName}:CircuitRevalidationInterval must be between 00:00:01 and 00:05:00 (was {CircuitRevalidationInterval}).";
        }

        if (AccountLockoutThreshold < MaxFailedLogins)
        {
            yield return $"{SectionName}:AccountLockoutThreshold must be at least MaxFailedLogins ({MaxFailedLogins}) (was {AccountLockoutThreshold}).";
        }

        if (LoginRateLimit < 1)
        {
            yield return $"{SectionName}:LoginRateLimit must be at least 1 (was {LoginRateLimit}).";
        }

        if (LoginRateWindow < TimeSpan.FromSeconds(1))
        {
            yield return $"{SectionName}:LoginRateWindow must be at least 00:00:01 (was {LoginRateWindow}).";
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
