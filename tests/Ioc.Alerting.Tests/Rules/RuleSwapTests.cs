using System.Reflection;
using System.Runtime.ExceptionServices;
using Ioc.Alerting.Rules.Catalogue;
using Ioc.Alerting.Tests.Shared;
using Ioc.Contract.Alerts;
using Ioc.Storage.Operational;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ioc.Alerting.Tests.Rules;

/// <summary>
/// The engine's swap to a new catalogue snapshot around stored rules the loader refuses: their alerts stay open while they
/// are stored, and are resolved once they leave the catalogue however they leave it (here, elsewhere, while down).
/// </summary>
public sealed class RuleSwapTests
{
    private const string Overheat = """{"id":"dc-overheat","kind":"threshold","severity":"critical","scope":{"deviceTypes":["env-sensor"]},"metric":"temp_c","op":">","value":35,"clear":32,"for":"60s"}""";
    private const string OnBattery = """{"id":"ups-on-battery","kind":"state","severity":"major","metric":"on_battery","equals":true}""";
    private const string Unknown = """{"id":"ups-on-battery","kind":"forecast","severity":"major","metric":"on_battery"}""";
    private const string RemovedByDefault = "rule removed from the rule catalogue";

    private static IRuleCommands Commands(AlertingHarness h) => h.Services.GetRequiredService<IRuleCommands>();

    private static RuleCatalog Catalog(AlertingHarness h) => h.Services.GetRequiredService<RuleCatalog>();

    private static IRuleCatalogStore RuleStore(AlertingHarness h) => h.Services.GetRequiredService<IRuleCatalogStore>();

    /// <summary>Writes a row past the commands (another build, another host, a database edit), optionally deleting it.</summary>
    private static async Task StoreRawAsync(AlertingHarness h, string id, string? definition)
    {
        var before = (await RuleStore(h).ListAsync(CancellationToken.None)).Single(r => r.Id == id);
        var after = definition is null ? null : before with { Definition = definition, Version = before.Version + 1, ChangedBy = "dba", ChangedAt = h.Now };
        Assert.True(await RuleStore(h).ApplyAsync([new RuleWrite(id, before.Version, after, after is null ? "rule.delete" : "rule.update", "by hand")], "dba", h.Now, CancellationToken.None));
    }

    /// <summary>An alert open on ups-on-battery, whose stored rule the loader then refuses (the engine has swapped).</summary>
    private static async Task<Alert> OpenThenRefusedAsync(AlertingHarness h)
    {
        await h.TelemetryAsync(TestDevices.DcUps, """{"on_battery": true}""");
        var open = Assert.Single(await h.OpenAsync("ups-on-battery"));
        await StoreRawAsync(h, "ups-on-battery", Unknown);
        await h.AdvanceAsync(TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(6));
        Assert.Equal(["dc-overheat"], h.Engine.Rules.Rules.Select(r => r.Id));
        Assert.Equal(open.Id, Assert.Single(await h.OpenAsync("ups-on-battery")).Id);
        return open;
    }

    private static async Task<string?> ResolvedBecauseAsync(AlertingHarness h, Alert alert) =>
        (await h.Store.AuditAsync(alert.Id, CancellationToken.None)).SingleOrDefault(a => a.Action == "resolved")?.Detail;

    [Fact]
    public async Task Swap_FixLandsWhileTheSwapReadsOpenAlerts_RefusedRuleKeepsItsAlertAndDoesNotFireTwice()
    {
        OpenListRace? race = null;
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(Overheat, OnBattery), configure: services =>
            services.Replace(ServiceDescriptor.Singleton<IAlertStore>(sp => OpenListRace.Wrap(sp.GetRequiredService<IOperationalStore>().Alerts, out race))));
        await h.TelemetryAsync(TestDevices.DcUps, """{"on_battery": true}""");
        var open = Assert.Single(await h.OpenAsync("ups-on-battery"));

        // Snapshot 1 refuses the rule; the engine swaps to it, and while it reads the open alerts an engineer's fix lands.
        await StoreRawAsync(h, "ups-on-battery", Unknown);
        await Catalog(h).RefreshAsync(CancellationToken.None);
        race!.Arm(() => Commands(h).UpdateAsync("ups-on-battery", 2, OnBattery, "eng1", CancellationToken.None));
        await h.TickAsync();

        Assert.True(race.Ran);
        Assert.DoesNotContain("ups-on-battery", h.Engine.Rules.ById.Keys);
        Assert.Equal(open.Id, Assert.Single(await h.OpenAsync("ups-on-battery")).Id);

        // The next swap runs the fixed rule, which resumes the same alert: never resolved, never raised again.
        await h.TickAsync();
        Assert.Contains("ups-on-battery", h.Engine.Rules.ById.Keys);
        await h.TelemetryAsync(TestDevices.DcUps, """{"on_battery": true}""");
        Assert.Equal(open.Id, Assert.Single(await h.AllAsync("ups-on-battery")).Id);
        Assert.Null(await ResolvedBecauseAsync(h, open));
    }

    [Fact]
    public async Task Swap_RefusedRuleDeletedElsewhere_ItsOpenAlertResolved()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(Overheat, OnBattery));
        var open = await OpenThenRefusedAsync(h);

        // Deleted by another host (or in the database): no reason noted in this process.
        await StoreRawAsync(h, "ups-on-battery", null);
        await h.AdvanceAsync(TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(6));

        Assert.Empty(await h.OpenAsync("ups-on-battery"));
        Assert.Equal(RemovedByDefault, await ResolvedBecauseAsync(h, open));
    }

    [Fact]
    public async Task Swap_RefusedRuleDeletedWhileTheEngineWasDown_ItsOpenAlertResolvedOnTheFirstTick()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(Overheat, OnBattery));
        var open = await OpenThenRefusedAsync(h);

        await StoreRawAsync(h, "ups-on-battery", null);
        await h.RestartAsync();
        await h.TickAsync();

        Assert.Empty(await h.OpenAsync("ups-on-battery"));
        Assert.Equal(RemovedByDefault, await ResolvedBecauseAsync(h, open));
    }

    [Fact]
    public async Task Update_RefusedRuleFixedAndDisabledInOneEdit_ItsOpenAlertResolvedAsDisabled()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(Overheat, OnBattery));
        var open = await OpenThenRefusedAsync(h);

        await Commands(h).UpdateAsync("ups-on-battery", 2, OnBattery.Replace("}", ""","enabled":false}""", StringComparison.Ordinal), "eng1", CancellationToken.None);
        await h.TickAsync();

        Assert.Empty(Catalog(h).NotRunning);
        Assert.Empty(await h.OpenAsync("ups-on-battery"));
        Assert.Equal("rule 'ups-on-battery' disabled by eng1", await ResolvedBecauseAsync(h, open));
    }

    [Fact]
    public async Task Delete_RefusedRuleWithoutOpenAlerts_ReasonDroppedSoALaterRemovalDoesNotBlameThatUser()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(Overheat, OnBattery));
        await StoreRawAsync(h, "ups-on-battery", Unknown);
        await h.AdvanceAsync(TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(6));

        await Commands(h).DeleteAsync("ups-on-battery", 2, "eng1", CancellationToken.None);
        await h.TickAsync();
        Assert.False(Catalog(h).HasRemovalReason("ups-on-battery"));

        // Made again, fires, then removed in the database: not "deleted by eng1".
        await Commands(h).CreateAsync(OnBattery, "eng2", CancellationToken.None);
        await h.TickAsync();
        await h.TelemetryAsync(TestDevices.DcUps, """{"on_battery": true}""");
        var open = Assert.Single(await h.OpenAsync("ups-on-battery"));
        await StoreRawAsync(h, "ups-on-battery", null);
        await h.AdvanceAsync(TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(6));

        Assert.Equal(RemovedByDefault, await ResolvedBecauseAsync(h, open));
    }

    /// <summary>The real alert store; once armed, the next open-alert list runs the race after reading (the swap's await).</summary>
    public class OpenListRace : DispatchProxy
    {
        private IAlertStore _inner = null!;
        private Func<Task>? _race;

        public bool Ran { get; private set; }

        public static IAlertStore Wrap(IAlertStore inner, out OpenListRace? race)
        {
            var proxy = Create<IAlertStore, OpenListRace>();
            race = (OpenListRace)(object)proxy;
            race._inner = inner;
            return proxy;
        }

        public void Arm(Func<Task> race) => _race = race;

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod!.Name == nameof(IAlertStore.ListOpenAsync) && args!.Length == 1 && Interlocked.Exchange(ref _race, null) is { } race)
            {
                return ListThenRaceAsync(race, (CancellationToken)args[0]!);
            }

            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                ExceptionDispatchInfo.Throw(ex.InnerException);
                throw;
            }
        }

        private async Task<IReadOnlyList<Alert>> ListThenRaceAsync(Func<Task> race, CancellationToken cancellationToken)
        {
            var open = await _inner.ListOpenAsync(cancellationToken);
            await race();
            Ran = true;
            return open;
        }
    }
}
