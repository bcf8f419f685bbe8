using System.Data.Common;
using Dapper;
using Ioc.Contract;

namespace Ioc.Storage.Operational;

/// <summary>
/// <see cref="ISiteStore"/> over table <c>sites</c>, the same SQL on SQLite and PostgreSQL (standard
/// <c>INSERT … ON CONFLICT</c>; <c>updated_at</c> as Unix milliseconds in both), like <see cref="DeviceCredentialStore"/>.
/// </summary>
internal sealed class SiteStore(Func<CancellationToken, Task<DbConnection>> open) : ISiteStore
{
    /// <summary>Rows per transaction: a fleet of a few hundred sites is a few short transactions.</summary>
    private const int ChunkSize = 200;

    public async Task<int> UpsertAsync(IReadOnlyCollection<SiteRecord> sites, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var site in sites)
        {
            Validate(site);
        }

        if (sites.Count == 0)
        {
            return 0;
        }

        await using var connection = await open(cancellationToken);
        var written = 0;
        foreach (var chunk in sites.Chunk(ChunkSize))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            foreach (var site in chunk)
            {
                written += await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO sites (slug, name_vi, name_en, district, kind, updated_at)
                    VALUES (@Slug, @NameVi, @NameEn, @District, @Kind, @now)
                    ON CONFLICT (slug) DO UPDATE SET name_vi = excluded.name_vi, name_en = excluded.name_en,
                        district = excluded.district, kind = excluded.kind, updated_at = excluded.updated_at
                    """,
                    new { site.Slug, NameVi = site.NameVi.Trim(), NameEn = site.NameEn.Trim(), site.District, site.Kind, now = now.ToUnixTimeMilliseconds() },
                    transaction,
                    cancellationToken: cancellationToken));
            }

            await transaction.CommitAsync(cancellationToken);
        }

        return written;
    }

    public async Task<IReadOnlyList<SiteRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await open(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            "SELECT slug AS Slug, name_vi AS NameVi, name_en AS NameEn, district AS District, kind AS Kind FROM sites ORDER BY slug",
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => new SiteRecord(r.Slug, r.NameVi, r.NameEn, r.District, r.Kind))];
    }

    public async Task<bool> DeleteAsync(string slug, CancellationToken cancellationToken)
    {
        await using var connection = await open(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition("DELETE FROM sites WHERE slug = @slug", new { slug }, cancellationToken: cancellationToken)) == 1;
    }

    private static void Validate(SiteRecord site)
    {
        if (!Names.IsSlug(site.Slug))
        {
            throw new ArgumentException($"Site '{site.Slug}' is not a slug ([a-z0-9-], at most 64).", nameof(site));
        }

        if (string.IsNullOrWhiteSpace(site.NameVi) || string.IsNullOrWhiteSpace(site.NameEn))
        {
            throw new ArgumentException($"Site '{site.Slug}' needs a Vietnamese and an English name.", nameof(site));
        }

        if (site.District is not null && !Names.IsSlug(site.District))
        {
            throw new ArgumentException($"Site '{site.Slug}': district '{site.District}' is not a slug.", nameof(site));
        }

        if (!SiteKinds.All.Contains(site.Kind))
        {
            throw new ArgumentException($"Site '{site.Slug}': kind '{site.Kind}' is not one of {string.Join(", ", SiteKinds.All)}.", nameof(site));
        }
    }

    private sealed class Row
    {
        public string Slug { get; set; } = string.Empty;

        public string NameVi { get; set; } = string.Empty;

        public string NameEn { get; set; } = string.Empty;

        public string? District { get; set; }

        public string Kind { get; set; } = string.Empty;
    }
}
