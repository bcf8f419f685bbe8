using Ioc.IntegrationTests.Infrastructure;
using Ioc.Storage;
using Ioc.Storage.Operational;
using Ioc.Storage.Operational.Postgres;
using Ioc.Storage.Operational.Sqlite;
using Ioc.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Ioc.IntegrationTests.Storage.Operational;

/// <summary>The alert rule catalogue on each adapter: SQLite on a temp file, PostgreSQL 15 on a real server.</summary>
public abstract class RuleCatalogStoreTests : OperationalStoreAdapterTests
{
    private static StoredRule Rule(string id, string definition, long version = 1, bool enabled = true, string origin = RuleOrigins.File, string? file = null) =>
        new(id, definition, enabled, origin, version, "seed", T0, file);

    [Fact]
    public async Task Seed_Twice_OnlyTheFirstWritesAndEveryFieldRoundTrips()
    {
        var rules = Store.Rules;
        var first = Rule("env-high-temp", """{"id":"env-high-temp","kind":"threshold"}""", file: """{"id":"env-high-temp","kind":"threshold"}""");
        var second = Rule("ups-on-battery", """{"id":"ups-on-battery","enabled":false}""", enabled: false, origin: RuleOrigins.Dashboard);

        Assert.False(await rules.IsSeededAsync(CancellationToken.None));
        Assert.True(await rules.SeedAsync([first, second], "rules.json", T0, CancellationToken.None));
        Assert.False(await rules.SeedAsync([Rule("other", "{}")], "rules.json", T0, CancellationToken.None));

        Assert.True(await rules.IsSeededAsync(CancellationToken.None));
        Assert.Equal([first, second], await rules.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Apply_CreateUpdateRenameDelete_VersionCheckedAndAuditedWithBeforeAndAfter()
    {
        var rules = Store.Rules;
        await rules.SeedAsync([], "test", T0, CancellationToken.None);
        var created = Rule("hot", """{"id":"hot","value":30}""", origin: RuleOrigins.Dashboard) with { ChangedBy = "eng1" };
        Assert.True(await rules.ApplyAsync([new RuleWrite("hot", 0, created, "rule.create", "created")], "eng1", T0, CancellationToken.None));
        Assert.False(await rules.ApplyAsync([new RuleWrite("hot", 0, created, "rule.create", "again")], "eng1", T0, CancellationToken.None));

        var updated = created with { Definition = """{"id":"hot","value":35}""", Version = 2, ChangedAt = T0.AddMinutes(1) };
        Assert.False(await rules.ApplyAsync([new RuleWrite("hot", 5, updated, "rule.update", "stale")], "eng1", T0, CancellationToken.None));
        Assert.True(await rules.ApplyAsync([new RuleWrite("hot", 1, updated, "rule.update", "value 30 → 35")], "eng1", T0.AddMinutes(1), CancellationToken.None));
        Assert.Equal(updated, Assert.Single(await rules.ListAsync(CancellationToken.None)));

        var renamed = updated with { Id = "hotter", Definition = """{"id":"hotter","value":35}""", Version = 3 };
        Assert.True(await rules.ApplyAsync([new RuleWrite("hot", 2, renamed, "rule.update", "renamed")], "eng2", T0.AddMinutes(2), CancellationToken.None));
        Assert.Equal("hotter", Assert.Single(await rules.ListAsync(CancellationToken.None)).Id);

        // All or nothing: the second write is stale, so the first is not kept either.
        var other = Rule("other", "{}", origin: RuleOrigins.Dashboard);
        Assert.False(await rules.ApplyAsync([new RuleWrite("other", 0, other, "rule.create", string.Empty), new RuleWrite("hotter", 1, null, "rule.delete", string.Empty)], "eng2", T0, CancellationToken.None));
        Assert.Equal(["hotter"], (await rules.ListAsync(CancellationToken.None)).Select(r => r.Id));

        Assert.True(await rules.ApplyAsync([new RuleWrite("hotter", 3, null, "rule.delete", "deleted")], "eng2", T0.AddMinutes(3), CancellationToken.None));
        Assert.Empty(await rules.ListAsync(CancellationToken.None));

        var audit = (await Store.Audit.ListAsync(10, null, CancellationToken.None)).Where(a => a.Target.StartsWith("rule:", StringComparison.Ordinal)).ToList();
        Assert.Equal(["rule.delete", "rule.update", "rule.update", "rule.create"], audit.Select(a => a.Action));
        Assert.Equal(("rule:hotter", """{"id":"hotter","value":35}""", null), (audit[0].Target, audit[0].Before, audit[0].After));
        Assert.Equal(("""{"id":"hot","value":35}""", """{"id":"hotter","value":35}"""), (audit[1].Before, audit[1].After));
        Assert.Equal(("eng1", T0.AddMinutes(1), """{"id":"hot","value":30}""", """{"id":"hot","value":35}""", "value 30 → 35"), (audit[2].UserName, audit[2].At, audit[2].Before, audit[2].After, audit[2].Detail));
        Assert.Equal((null, """{"id":"hot","value":30}""", true), (audit[3].Before, audit[3].After, audit[3].Allowed));
    }
}

public sealed class SqliteRuleCatalogStoreTests : RuleCatalogStoreTests
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ioc-rule-catalogue-").FullName;

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
public sealed class PostgresRuleCatalogStoreTests(PostgresFixture fixture) : RuleCatalogStoreTests
{
    protected override async Task<IOperationalStore> OpenStoreAsync() =>
        new PostgresOperationalStore(await fixture.Server.DatabaseAsync(nameof(PostgresRuleCatalogStoreTests) + Guid.NewGuid().ToString("N")[..8]));
}
