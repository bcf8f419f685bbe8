using Ioc.Contract.Text;
using Ioc.Storage.Operational;

namespace Ioc.Alerting.Text;

/// <summary>A registered site's name in both languages and its district (null for provincial sites).</summary>
public sealed record SiteName(LocalizedText Name, string? District);

/// <summary>Names of sites in words, for alert texts: the site registry, with readable guesses from slugs for the rest.</summary>
public interface ISiteNames
{
    /// <summary>The registered site, or null when the registry does not know it.</summary>
    SiteName? Find(string slug);

    /// <summary>Reloads the names when they are old; cheap when they are not.</summary>
    Task RefreshIfStaleAsync(CancellationToken cancellationToken);
}

/// <summary>No registered sites: every name is guessed from its slug.</summary>
public sealed class NoSiteNames : ISiteNames
{
    public static NoSiteNames Instance { get; } = new();

    public SiteName? Find(string slug) => null;

    public Task RefreshIfStaleAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// The site registry (<see cref="ISiteStore"/>) held in memory and reloaded when older than <see cref="RefreshEvery"/>:
/// the engine calls <see cref="RefreshIfStaleAsync"/> before it renders a text, so a <c>sites import</c> shows in alert texts
/// within a minute without a restart. A failed reload keeps the names it had.
/// </summary>
public sealed class RegisteredSiteNames(ISiteStore store, TimeProvider time) : ISiteNames
{
    public static readonly TimeSpan RefreshEvery = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile IReadOnlyDictionary<string, SiteName> _sites = new Dictionary<string, SiteName>();
    private DateTimeOffset _loadedAt = DateTimeOffset.MinValue;

    public SiteName? Find(string slug) => _sites.TryGetValue(slug, out var name) ? name : null;

    public async Task RefreshIfStaleAsync(CancellationToken cancellationToken)
    {
        if (time.GetUtcNow() - _loadedAt < RefreshEvery)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            if (now - _loadedAt < RefreshEvery)
            {
                return;
            }

            _loadedAt = now;
            var sites = await store.ListAsync(cancellationToken);
            _sites = sites.ToDictionary(s => s.Slug, s => new SiteName(new LocalizedText(s.NameVi, s.NameEn), s.District), StringComparer.Ordinal);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Keep the names already loaded; the next render tries again after RefreshEvery.
        }
        finally
        {
            _gate.Release();
        }
    }
}
