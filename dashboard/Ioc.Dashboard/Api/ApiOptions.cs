using Ioc.Dashboard.Security;

namespace Ioc.Dashboard.Api;

/// <summary><c>Ioc:Api</c>: the public REST API at <c>/api/v1</c> (docs/api.md).</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Ioc:Api";

    /// <summary>
    /// A token from configuration for automation (provisioning scripts, the first token before any admin has logged in);
    /// at least 32 characters. Empty: only tokens created in the dashboard are accepted.
    /// </summary>
    public string? BootstrapToken { get; set; }

    /// <summary>The role the bootstrap token acts with.</summary>
    public string BootstrapRole { get; set; } = Roles.Admin;

    /// <summary>Requests one token may make per <see cref="RateWindow"/>; beyond, 429 with Retry-After.</summary>
    public int RateLimit { get; set; } = 600;

    public TimeSpan RateWindow { get; set; } = TimeSpan.FromMinutes(1);

    public IEnumerable<string> Validate()
    {
        if (!string.IsNullOrEmpty(BootstrapToken) && BootstrapToken.Trim().Length < 32)
        {
            yield return $"{SectionName}:BootstrapToken must be at least 32 characters (a random secret, e.g. `openssl rand -base64 32`), or empty.";
        }

        if (!Roles.IsKnown(BootstrapRole))
        {
            yield return $"{SectionName}:BootstrapRole must be one of {string.Join(", ", Roles.All)} (was '{BootstrapRole}').";
        }

        if (RateLimit < 1)
        {
            yield return $"{SectionName}:RateLimit must be at least 1 (was {RateLimit}).";
        }

        if (RateWindow <= TimeSpan.Zero)
        {
            yield return $"{SectionName}:RateWindow must be positive, e.g. 00:01:00 (was {RateWindow}).";
        }
    }
}
