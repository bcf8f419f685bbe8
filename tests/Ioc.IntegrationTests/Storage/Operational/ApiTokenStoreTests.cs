using Ioc.IntegrationTests.Infrastructure;
using Ioc.Storage;
using Ioc.Storage.Operational;
using Ioc.Storage.Operational.Postgres;
using Ioc.Storage.Operational.Sqlite;
using Ioc.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Ioc.IntegrationTests.Storage.Operational;

/// <summary>The API token store on each adapter: SQLite on a temp file, PostgreSQL 15 on a real server.</summary>
public abstract class ApiTokenStoreTests : OperationalStoreAdapterTests
{
    [Fact]
    public async Task CreateVerifyRevoke_SecretShownOnceStoredHashed_FollowsTheLifecycle()
    {
        var tokens = Store.ApiTokens;
        var name = $"grafana-{Guid.NewGuid():N}";

        var issued = await tokens.CreateAsync(name, "viewer", "admin", T0, CancellationToken.None);

        Assert.True(ApiTokenSecrets.IsWellFormed(issued.Secret));
        Assert.Equal(ApiTokenSecrets.PrefixOf(issued.Secret), issued.Token.Prefix);
        Assert.Equal((name, "viewer", "admin", T0, true), (issued.Token.Name, issued.Token.Role, issued.Token.CreatedBy, issued.Token.CreatedAt, issued.Token.IsActive));
        var verified = await tokens.VerifyAsync(issued.Secret, CancellationToken.None);
        Assert.Equal(issued.Token.Id, verified?.Id);
        Assert.Null(await tokens.VerifyAsync(issued.Secret[..^1] + (issued.Secret[^1] == 'A' ? 'B' : 'A'), CancellationToken.None));
        Assert.Null(await tokens.VerifyAsync("not-a-token", CancellationToken.None));

        var listed = Assert.Single(await tokens.ListAsync(CancellationToken.None), t => t.Id == issued.Token.Id);
        Assert.Equal(issued.Token, listed);

        Assert.True(await tokens.RevokeAsync(issued.Token.Id, "admin2", T0.AddHours(1), CancellationToken.None));
        Assert.False(await tokens.RevokeAsync(issued.Token.Id, "admin2", T0.AddHours(2), CancellationToken.None));
        Assert.Null(await tokens.VerifyAsync(issued.Secret, CancellationToken.None));
        var revoked = Assert.Single(await tokens.ListAsync(CancellationToken.None), t => t.Id == issued.Token.Id);
        Assert.Equal((T0.AddHours(1), "admin2", false), (revoked.RevokedAt, revoked.RevokedBy, revoked.IsActive));
    }

    [Fact]
    public async Task RecordUse_WithinResolution_WritesOncePerResolution()
    {
        var issued = await Store.ApiTokens.CreateAsync($"ci-{Guid.NewGuid():N}", "operator", "admin", T0, CancellationToken.None);
        var minute = TimeSpan.FromMinutes(1);

        await Store.ApiTokens.RecordUseAsync(issued.Token.Id, T0.AddSeconds(10), minute, CancellationToken.None);
        await Store.ApiTokens.RecordUseAsync(issued.Token.Id, T0.AddSeconds(40), minute, CancellationToken.None);
        var first = (await Store.ApiTokens.VerifyAsync(issued.Secret, CancellationToken.None))!.LastUsedAt;
        await Store.ApiTokens.RecordUseAsync(issued.Token.Id, T0.AddSeconds(75), minute, CancellationToken.None);
        var second = (await Store.ApiTokens.VerifyAsync(issued.Secret, CancellationToken.None))!.LastUsedAt;

        Assert.Equal(T0.AddSeconds(10), first);
        Assert.Equal(T0.AddSeconds(75), second);
    }

    [Fact]
    public async Task Create_ManyTokens_EachSecretVerifiesToItsOwnRow()
    {
        var issued = new List<IssuedApiToken>();
        for (var i = 0; i < 20; i++)
        {
            issued.Add(await Store.ApiTokens.CreateAsync($"bulk-{i}-{Guid.NewGuid():N}", "engineer", "admin", T0, CancellationToken.None));
        }

        foreach (var token in issued)
        {
            Assert.Equal(token.Token.Id, (await Store.ApiTokens.VerifyAsync(token.Secret, CancellationToken.None))?.Id);
        }

        Assert.Equal(20, issued.Select(t => t.Secret).Distinct(StringComparer.Ordinal).Count());
    }
}

public sealed class SqliteApiTokenStoreTests : ApiTokenStoreTests
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ioc-api-tokens-").FullName;

    protected override Task<IOperationalStore> OpenStoreAsync() =>
        Task.FromResult<IOperationalStore>(new SqliteOperationalStore(new SqliteDatabase(new SqliteOptions { Path = Path.Combine(_folder, "ioc.db") })));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresApiTokenStoreTests(PostgresFixture fixture) : ApiTokenStoreTests
{
    protected override async Task<IOperationalStore> OpenStoreAsync() =>
        new PostgresOperationalStore(await fixture.Server.DatabaseAsync(nameof(PostgresApiTokenStoreTests)));
}
