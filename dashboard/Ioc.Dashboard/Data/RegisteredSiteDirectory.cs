using System.Globalization;
using Ioc.Storage.Operational;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ioc.Dashboard.Data;

/// <summary>
/// Display names from the site registry of the operational store (<see cref="ISiteStore"/>: filled by <c>sites import</c>
/// and, in the all-in-one, by the simulated fleet at start), held in memory and reloaded every
/// <see cref="RefreshInterval"/> by <see cref="SiteDirectoryRefresher"/>. Sites the registry does not know fall back
/// to <see cref="SlugSiteDirectory"/> (names guessed from the slug). Districts are named by their registered site
/// (<c>thanh-ha</c> → "Thanh Hà"), else by <see cref="Province"/>.
/// </summary>
public sealed class RegisteredSiteDirectory(ISiteStore store) : ISiteDirectory
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(1);
    private readonly SlugSiteDirectory _fallback = new();
    private volatile IReadOnlyDictionary<string, SiteInfo> _sites = new Dictionary<string, SiteInfo>(StringComparer.Ordinal);

    public IReadOnlyCollection<SiteInfo> Sites => [.. _sites.Values];

    /// <summary>Reloads the registry; returns how many sites it holds.</summary>
    public async Task<int> RefreshAsync(CancellationToken cancellationToken)
    {
        var records = await store.ListAsync(cancellationToken);
        _sites = records.ToDictionary(r => r.Slug, r => new SiteInfo(r.Slug, r.NameVi, r.NameEn, r.District), StringComparer.Ordinal);
        return records.Count;
    }

    public SiteInfo? Find(string site) =>
        string.IsNullOrEmpty(site) ? null : _sites.TryGetValue(site, out var info) ? info : _fallback.Find(site);

    public District? DistrictOf(string? site)
    {
        if (string.IsNullOrEmpty(site))
        {
            return null;
        }

        if (!_sites.TryGetValue(site, out var info))
        {
            return _fallback.DistrictOf(site);
        }

        if (info.DistrictSlug is not { } slug)
        {
            return null;
        }

        var known = Province.Districts.FirstOrDefault(d => d.Slug == slug);
        var named = _sites.GetValueOrDefault(slug);
        return named is null ? known : new District(slug, named.NameVi, named.NameEn, known?.Column ?? -1, known?.Row ?? -1);
    }

    public string DisplayName(string? site, CultureInfo culture)
    {
        if (string.IsNullOrEmpty(site))
        {
            return string.Empty;
        }

        if (!_sites.TryGetValue(site, out var info))
        {
            return _fallback.DisplayName(site, culture);
        }

        var district = DistrictOf(site);
        if (district is null || district.Slug == site)
        {
            return info.Name(culture);
        }

        return $"{district.Name(culture)} · {info.Name(culture)}";
    }
}

/// <summary>Loads the site registry when the dashboard starts and every <see cref="RegisteredSiteDirectory.RefreshInterval"/>; keeps the last names when the store fails.</summary>
internal sealed partial class SiteDirectoryRefresher(ISiteDirectory directory, IOperationalStore store, TimeProvider time, ILogger<SiteDirectoryRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (directory is not RegisteredSiteDirectory registered)
        {
            return;
        }

        var migrated = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!migrated)
                {
                    await store.MigrateAsync(stoppingToken);
                    migrated = true;
                }

                await registered.RefreshAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRefreshFailed(logger, ex);
            }

            await Task.Delay(RegisteredSiteDirectory.RefreshInterval, time, stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Site names could not be loaded from the operational store; keeping the previous ones")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
