namespace Ioc.Storage.Operational;

/// <summary>
/// A registered site (the topic's <c>{site}</c>): its names in words, its district and its kind. The district of a
/// district is itself; the provincial sites (core network, data center, departments) have none.
/// </summary>
/// <param name="Slug">The topic slug (<c>thanh-ha-an-son</c>).</param>
/// <param name="NameVi">Vietnamese name with diacritics, without the district (<c>An Sơn</c>; a district's own site: <c>Thanh Hà</c>).</param>
/// <param name="NameEn">English name (diacritics may be left out: <c>An Son</c>).</param>
/// <param name="District">District slug; null for provincial sites.</param>
/// <param name="Kind">One of <see cref="SiteKinds.All"/>.</param>
public sealed record SiteRecord(string Slug, string NameVi, string NameEn, string? District, string Kind);

public static class SiteKinds
{
    public const string Core = "core";
    public const string DataCenter = "data-center";
    public const string District = "district";
    public const string Commune = "commune";
    public const string Department = "department";
    public const string Other = "other";

    public static IReadOnlyList<string> All { get; } = [Core, DataCenter, District, Commune, Department, Other];
}

/// <summary>
/// The site registry: filled by provisioning (<c>sites import FILE</c> on the collector host, the all-in-one's simulated
/// fleet at start), read by the alert engine (alert texts name sites in words) and by the dashboard (display names, search).
/// </summary>
public interface ISiteStore
{
    /// <summary>Adds or replaces the sites (by slug); returns how many were written. Invalid records throw <see cref="ArgumentException"/> before anything is written.</summary>
    Task<int> UpsertAsync(IReadOnlyCollection<SiteRecord> sites, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Every registered site, by slug.</summary>
    Task<IReadOnlyList<SiteRecord>> ListAsync(CancellationToken cancellationToken);

    /// <summary>False if the site was not registered.</summary>
    Task<bool> DeleteAsync(string slug, CancellationToken cancellationToken);
}
