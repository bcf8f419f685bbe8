using System.Globalization;
using Ioc.Alerting.Rules;
using Ioc.Alerting.Rules.Catalogue;
using Ioc.Alerting.Tests.Shared;
using Ioc.Contract.Alerts;
using Ioc.Storage.Operational;
using Microsoft.Extensions.DependencyInjection;

namespace Ioc.Alerting.Tests.Rules;

/// <summary>The rule catalogue in the engine's process: seeding, commands with the file's validation, the engine's swap, export.</summary>
public sealed class RuleCatalogTests
{
    private const string Overheat = """
        {"id":"dc-overheat","name":{"vi":"Phòng máy quá nóng","en":"Server room overheating"},"kind":"threshold","severity":"critical",
         "scope":{"deviceTypes":["env-sensor"]},"metric":"temp_c","op":">","value":35,"clear":32,"for":"60s"}
        """;

    private const string OnBattery = """{"id":"ups-on-battery","kind":"state","severity":"major","metric":"on_battery","equals":true}""";

    private static IRuleCommands Commands(AlertingHarness h) => h.Services.GetRequiredService<IRuleCommands>();

    private static RuleCatalog Catalog(AlertingHarness h) => h.Services.GetRequiredService<RuleCatalog>();

    private static StoredRule Stored(AlertingHarness h, string id) => Catalog(h).Rules.Single(r => r.Stored.Id == id).Stored;

    [Fact]
    public async Task Initialize_FirstStart_SeedsTheCatalogueFromTheFileOnce()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(Overheat, OnBattery));

        var rules = Catalog(h).Rules;
        Assert.Equal(["dc-overheat", "ups-on-battery"], rules.Select(r => r.Stored.Id));
        Assert.All(rules, r => Assert.Equal((RuleOrigins.File, 1L, r.Stored.Definition), (r.Stored.Origin, r.Stored.Version, r.Stored.FileDefinition)));

        await Commands(h).DeleteAsync("ups-on-battery", 1, "eng1", CancellationToken.None);
        await h.RestartAsync();

        Assert.Equal(["dc-overheat"], Catalog(h).Rules.Select(r => r.Stored.Id));
        Assert.Equal(["dc-overheat"], h.Engine.Rules.Rules.Select(r => r.Id));
    }

    [Fact]
    public async Task Create_InvalidRule_RefusedWithEveryProblemNamingTheFieldInBothLanguages()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(Overheat));

        var error = await Assert.ThrowsAsync<RuleCommandException>(() => Commands(h).CreateAsync(
            """{"id":"hot","kind":"threshold","severity":"urgent","metric":"temp_c","op":"=>","value":35}""", "eng1", CancellationToken.None));

        Assert.Equal(RuleCommandFailure.Invalid, error.Failure);
        var severity = Assert.Single(error.Problems, p => p.Field == "severity");
        Assert.Equal("hot", severity.RuleId);
        Assert.Equal("'severity' must be one of critical, major, minor, warning, info (was 'urgent')", severity.En);
        Assert.Equal("'severity' phải là một trong critical, major, minor, warning, info (đang là 'urgent')", severity.Vi);
        var op = Assert.Single(error.Problems, p => p.Field == "op");
        Assert.Equal("'op' phải là một trong >, >=, <, <= (đang là '=>')", op.Text(CultureInfo.GetCultureInfo("vi-VN")));
        Assert.Equal("'op' must be one of >, >=, <, <= (was '=>')", op.Text(CultureInfo.GetCultureInfo("en-US")));
        Assert.Equal(["dc-overheat"], Catalog(h).Rules.Select(r => r.Stored.Id));
    }

    [Fact]
    public async Task Create_DuplicateIdOrNotJson_Refused()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(Overheat));

        var duplicate = await Assert.ThrowsAsync<RuleCommandException>(() => Commands(h).CreateAsync(Overheat, "eng1", CancellationToken.None));
        var notJson = await Assert.ThrowsAsync<RuleCommandException>(() => Commands(h).CreateAsync("{\"id\": ", "eng1", CancellationToken.None));

        Assert.Equal(("id", "đã có quy tắc với mã 'dc-overheat'"), (duplicate.Problems[0].Field, duplicate.Problems[0].Vi));
        Assert.Equal("json", notJson.Problems[0].Field);
    }

    [Fact]
    public async Task Delete_RuleACompositeCounts_RefusedByTheFilesCrossRuleCheck()
    {
        const string offline = """{"id":"device-offline","kind":"offline","severity":"major","interval":"60s"}""";
        const string outage = """{"id":"district-outage","kind":"composite","severity":"critical","of":"device-offline","level":"district","ratio":0.5}""";
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(offline, outage));

        var error = await Assert.ThrowsAsync<RuleCommandException>(() => Commands(h).DeleteAsync("device-offline", 1, "eng1", CancellationToken.None));

        var problem = Assert.Single(error.Problems);
        Assert.Equal(("district-outage", "of"), (problem.RuleId, problem.Field));
    }

    [Fact]
    public async Task Update_AnotherRuleWhileOneIsPending_KeepsThePendingConditionAndTheChangedRuleStartsFresh()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(Overheat, OnBattery));
        await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 37}""");
        await h.AdvanceAsync(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10));

        // An unrelated rule changes: dc-overheat keeps its evaluator, so its 60 s count continues.
        var battery = Stored(h, "ups-on-battery");
        await Commands(h).UpdateAsync("ups-on-battery", battery.Version, OnBattery.Replace("major", "critical", StringComparison.Ordinal), "eng1", CancellationToken.None);
        await h.AdvanceAsync(TimeSpan.FromSeconds(40), TimeSpan.FromSeconds(10));
        var fired = Assert.Single(await h.OpenAsync("dc-overheat"));
        Assert.Equal(AlertingHarness.Start + TimeSpan.FromSeconds(60), fired.FiredAt);
        Assert.Equal(AlertSeverity.Critical, h.Engine.Rules.ById["ups-on-battery"].Severity);

        // dc-overheat itself changes (clear threshold raised): a new evaluator, resumed from the open alert, clears under the new definition.
        var overheat = Stored(h, "dc-overheat");
        await Commands(h).UpdateAsync("dc-overheat", overheat.Version, Overheat.Replace("\"clear\":32", "\"clear\":34", StringComparison.Ordinal), "eng1", CancellationToken.None);
        await h.TickAsync();
        Assert.Equal(34, h.Engine.Rules.ById["dc-overheat"].Comparison!.Clear);
        await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 33}""");
        Assert.Empty(await h.OpenAsync("dc-overheat"));
    }

    [Fact]
    public async Task DisableAndDelete_RuleWithOpenAlerts_EngineResolvesThemNamingWhoAndWhy()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(Overheat, OnBattery));
        await h.TelemetryAsync(TestDevices.DcUps, """{"on_battery": true}""");
        var open = Assert.Single(await h.OpenAsync("ups-on-battery"));

        var disabled = await Commands(h).SetEnabledAsync("ups-on-battery", 1, enabled: false, "eng1", CancellationToken.None);
        await h.TickAsync();

        Assert.False(disabled.Enabled);
        Assert.Contains("\"enabled\":false", disabled.Definition, StringComparison.Ordinal);
        Assert.Empty(await h.OpenAsync("ups-on-battery"));
        var history = await h.Store.AuditAsync(open.Id, CancellationToken.None);
        Assert.Contains(history, a => a.Action == "resolved" && a.Actor == "engine" && a.Detail == "rule 'ups-on-battery' disabled by eng1");
        Assert.DoesNotContain("ups-on-battery", h.Engine.Rules.ById.Keys);

        // Enabled again it fires again; deleted, its alert is resolved with the deletion as the reason.
        await Commands(h).SetEnabledAsync("ups-on-battery", 2, enabled: true, "eng1", CancellationToken.None);
        await h.TickAsync();
        await h.TelemetryAsync(TestDevices.DcUps, """{"on_battery": true}""");
        var again = Assert.Single(await h.OpenAsync("ups-on-battery"));
        await Commands(h).DeleteAsync("ups-on-battery", 3, "eng2", CancellationToken.None);
        await h.TickAsync();
        Assert.Empty(await h.OpenAsync());
        Assert.Contains(await h.Store.AuditAsync(again.Id, CancellationToken.None), a => a.Action == "resolved" && a.Detail == "rule 'ups-on-battery' deleted by eng2");
    }

    [Fact]
    public async Task Update_IdOfARuleWithAlerts_RefusedAndStaleVersionRefused()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(Overheat, OnBattery));
        await h.TelemetryAsync(TestDevices.DcUps, """{"on_battery": true}""");

        var renamed = await Assert.ThrowsAsync<RuleCommandException>(() => Commands(h).UpdateAsync("ups-on-battery", 1, OnBattery.Replace("\"ups-on-battery\"", "\"ups-battery\"", StringComparison.Ordinal), "eng1", CancellationToken.None));
        var stale = await Assert.ThrowsAsync<RuleCommandException>(() => Commands(h).SetEnabledAsync("dc-overheat", 7, false, "eng1", CancellationToken.None));
        var missing = await Assert.ThrowsAsync<RuleCommandException>(() => Commands(h).DeleteAsync("nope", 1, "eng1", CancellationToken.None));

        Assert.Equal(("id", RuleCommandFailure.Invalid), (renamed.Problems[0].Field, renamed.Failure));
        Assert.StartsWith("không thể đổi mã từ 'ups-on-battery' sang 'ups-battery'", renamed.Problems[0].Vi, StringComparison.Ordinal);
        Assert.Equal(RuleCommandFailure.Conflict, stale.Failure);
        Assert.Equal(RuleCommandFailure.NotFound, missing.Failure);

        // Without alerts the id may change.
        var moved = await Commands(h).UpdateAsync("dc-overheat", 1, Overheat.Replace("\"dc-overheat\"", "\"dc-too-hot\"", StringComparison.Ordinal), "eng1", CancellationToken.None);
        Assert.Equal(("dc-too-hot", 2L), (moved.Id, moved.Version));
    }

    [Fact]
    public async Task Export_Catalogue_IsARulesFileTheLoaderReadsBackToTheSameRules()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(Overheat, OnBattery));
        await Commands(h).CreateAsync("""{"id":"hot-aisle","kind":"threshold","severity":"minor","metric":"temp_c","op":">=","value":30}""", "eng1", CancellationToken.None);
        await Commands(h).SetEnabledAsync("ups-on-battery", 1, false, "eng1", CancellationToken.None);

        var exported = Catalog(h).Export();
        var parsed = RuleLoader.ParseAll(exported, "export.json");

        Assert.Equal(["dc-overheat", "hot-aisle", "ups-on-battery"], parsed.All.Select(r => r.Id));
        Assert.Equal(["dc-overheat", "hot-aisle"], parsed.Enabled.Rules.Select(r => r.Id));
        Assert.Equal("tp-hai-duong", parsed.Enabled.SiteDistricts["dc-tinh"]);
        Assert.Equal(new Comparison(ComparisonOperator.GreaterOrEqual, 30, 30), parsed.Enabled.ById["hot-aisle"].Comparison);
        Assert.Equal("Phòng máy quá nóng", parsed.Enabled.ById["dc-overheat"].Name.Vi);
        // Exported then imported unchanged: nothing to do.
        Assert.All(RuleImport.Classify(RuleCatalog.FileEntries(exported), [.. Catalog(h).Rules.Select(r => r.Stored)]), i => Assert.Equal(ImportStatus.Unchanged, i.Status));
    }

    [Fact]
    public void Classify_FileAgainstCatalogue_TellsEveryCase()
    {
        static StoredRule Row(string id, string definition, string? file) => new(id, definition, true, RuleOrigins.File, 2, "x", DateTimeOffset.UnixEpoch, file);
        var catalogue = new[]
        {
            Row("same", """{"id":"same","value":1}""", """{"id":"same","value":1}"""),
            Row("file-moved", """{"id":"file-moved","value":1}""", """{"id":"file-moved","value":1}"""),
            Row("ui-moved", """{"id":"ui-moved","value":2}""", """{"id":"ui-moved","value":1}"""),
            Row("both-moved", """{"id":"both-moved","value":2}""", """{"id":"both-moved","value":1}"""),
            Row("ui-only", """{"id":"ui-only"}""", null),
            Row("made-twice", """{"id":"made-twice","value":5}""", null),
        };
        (string, string)[] file =
        [
            ("same", """{"value":1,"id":"same"}"""),
            ("file-moved", """{"id":"file-moved","value":3}"""),
            ("ui-moved", """{"id":"ui-moved","value":1}"""),
            ("both-moved", """{"id":"both-moved","value":3}"""),
            ("made-twice", """{"id":"made-twice","value":6}"""),
            ("brand-new", """{"id":"brand-new"}"""),
        ];

        var items = RuleImport.Classify(file, catalogue).ToDictionary(i => i.Id, i => i.Status);

        Assert.Equal(ImportStatus.Unchanged, items["same"]);
        Assert.Equal(ImportStatus.ChangedInFile, items["file-moved"]);
        Assert.Equal(ImportStatus.ChangedInDashboard, items["ui-moved"]);
        Assert.Equal(ImportStatus.Conflict, items["both-moved"]);
        Assert.Equal(ImportStatus.Conflict, items["made-twice"]);
        Assert.Equal(ImportStatus.New, items["brand-new"]);
        Assert.Equal(ImportStatus.OnlyInCatalogue, items["ui-only"]);
    }

    [Fact]
    public async Task Import_ConflictWithoutAChoice_RefusedThenAppliedAsChosen()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(Overheat, OnBattery));
        await Commands(h).UpdateAsync("dc-overheat", 1, Overheat.Replace("\"value\":35", "\"value\":36", StringComparison.Ordinal), "eng1", CancellationToken.None);
        await Commands(h).UpdateAsync("ups-on-battery", 1, OnBattery.Replace("major", "minor", StringComparison.Ordinal), "eng1", CancellationToken.None);
        var file = AlertingHarness.Rules(
            Overheat.Replace("\"value\":35", "\"value\":38", StringComparison.Ordinal),
            OnBattery,
            """{"id":"hot-aisle","kind":"threshold","severity":"minor","metric":"temp_c","op":">","value":30}""");

        var refused = await Assert.ThrowsAsync<RuleCommandException>(() => Commands(h).ImportAsync(file, new Dictionary<string, ImportChoice>(), "eng2", CancellationToken.None));
        Assert.Equal(("dc-overheat", RuleCommandFailure.Conflict), (Assert.Single(refused.Problems).RuleId, refused.Failure));

        var items = await Commands(h).ImportAsync(file, new Dictionary<string, ImportChoice> { ["dc-overheat"] = ImportChoice.File }, "eng2", CancellationToken.None);
        await h.TickAsync();

        Assert.Equal(ImportStatus.ChangedInDashboard, items.Single(i => i.Id == "ups-on-battery").Status);
        Assert.Equal(38, h.Engine.Rules.ById["dc-overheat"].Comparison!.Trigger);
        Assert.Equal(AlertSeverity.Minor, h.Engine.Rules.ById["ups-on-battery"].Severity);
        Assert.Contains("hot-aisle", h.Engine.Rules.ById.Keys);
        // The same file again: the dashboard's change is still the only difference.
        var again = RuleImport.Classify(RuleCatalog.FileEntries(file), [.. Catalog(h).Rules.Select(r => r.Stored)]).ToDictionary(i => i.Id, i => i.Status);
        Assert.Equal((ImportStatus.Unchanged, ImportStatus.ChangedInDashboard, ImportStatus.Unchanged), (again["dc-overheat"], again["ups-on-battery"], again["hot-aisle"]));
    }

    /// <summary>A stored row as another build or a database edit leaves it: written past the commands' validation.</summary>
    private static async Task StoreRawAsync(AlertingHarness h, string id, string definition)
    {
        var before = Stored(h, id);
        var store = h.Services.GetRequiredService<IRuleCatalogStore>();
        var after = before with { Definition = definition, Version = before.Version + 1, ChangedBy = "dba", ChangedAt = h.Now };
        Assert.True(await store.ApplyAsync([new RuleWrite(id, before.Version, after, "rule.update", "by hand")], "dba", h.Now, CancellationToken.None));
    }

    [Fact]
    public async Task Initialize_StoredRuleTheLoaderRefuses_EngineStartsWithTheOthersAndReportsTheRefusedOne()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(Overheat, OnBattery));
        await StoreRawAsync(h, "ups-on-battery", OnBattery.Replace("\"major\"", "\"urgent\"", StringComparison.Ordinal));

        await h.RestartAsync();

        Assert.Equal(["dc-overheat"], h.Engine.Rules.Rules.Select(r => r.Id));
        var refused = Assert.Single(Catalog(h).NotRunning);
        Assert.Equal(("ups-on-battery", 2L, false), (refused.Stored.Id, refused.Stored.Version, refused.Runs));
        var problem = Assert.Single(refused.Problems);
        Assert.Equal(("ups-on-battery", "severity"), (problem.RuleId, problem.Field));
        Assert.Equal("'severity' phải là một trong critical, major, minor, warning, info (đang là 'urgent')", problem.Vi);
        var reason = Assert.Single(Catalog(h).DegradedReasons());
        Assert.Contains("rule 'ups-on-battery': 'severity' must be one of", reason, StringComparison.Ordinal);

        // The valid rule runs on live data; the refused one does not.
        await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 37}""");
        await h.TelemetryAsync(TestDevices.DcUps, """{"on_battery": true}""");
        await h.AdvanceAsync(TimeSpan.FromSeconds(70), TimeSpan.FromSeconds(10));
        Assert.Single(await h.OpenAsync("dc-overheat"));
        Assert.Empty(await h.OpenAsync("ups-on-battery"));

        // Fixed by an engineer: the swap runs it, and health is clear again.
        await Commands(h).UpdateAsync("ups-on-battery", 2, OnBattery, "eng1", CancellationToken.None);
        await h.TickAsync();
        await h.TelemetryAsync(TestDevices.DcUps, """{"on_battery": true}""");
        Assert.Single(await h.OpenAsync("ups-on-battery"));
        Assert.Empty(Catalog(h).NotRunning);
        Assert.Empty(Catalog(h).DegradedReasons());
    }

    [Fact]
    public async Task Refresh_RuleBecomesUnloadable_ItsOpenAlertStaysOpenAndOtherCommandsStillWork()
    {
        const string offline = """{"id":"device-offline","kind":"offline","severity":"major","interval":"60s"}""";
        const string outage = """{"id":"district-outage","kind":"composite","severity":"critical","of":"device-offline","level":"district","ratio":0.5}""";
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(Overheat, OnBattery, offline, outage));
        await h.TelemetryAsync(TestDevices.DcUps, """{"on_battery": true}""");
        var open = Assert.Single(await h.OpenAsync("ups-on-battery"));

        // Another build writes kinds this one does not know; the composite counting the unknown one stops too.
        await StoreRawAsync(h, "ups-on-battery", """{"id":"ups-on-battery","kind":"forecast","severity":"major","metric":"on_battery"}""");
        await StoreRawAsync(h, "device-offline", "{\"id\":\"device-offline\",\"kind\":\"offline\",\"interval\":");
        await h.AdvanceAsync(TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(6));

        Assert.Equal(["dc-overheat"], h.Engine.Rules.Rules.Select(r => r.Id));
        Assert.Equal(["ups-on-battery", "device-offline", "district-outage"], Catalog(h).NotRunning.Select(r => r.Stored.Id).OrderBy(id => id == "district-outage").ThenBy(id => id != "ups-on-battery"));
        Assert.Equal("json", Catalog(h).NotRunning.Single(r => r.Stored.Id == "device-offline").Problems[0].Field);
        var composite = Catalog(h).NotRunning.Single(r => r.Stored.Id == "district-outage").Problems[0];
        Assert.Equal(("district-outage", "of", null), (composite.RuleId, composite.Field, composite.Index));
        Assert.Equal("counts rule 'device-offline', which is not running", composite.En);
        Assert.Equal("đếm quy tắc 'device-offline', quy tắc này đang không chạy", composite.Vi);
        Assert.Contains(Catalog(h).NotRunning.Single(r => r.Stored.Id == "ups-on-battery").Problems, p => p.Field == "kind");
        Assert.Equal(open.Id, Assert.Single(await h.OpenAsync("ups-on-battery")).Id);

        // A refused rule blocks no other change, and can be deleted (its alert is then resolved as deleted).
        await Commands(h).CreateAsync("""{"id":"hot","kind":"threshold","severity":"minor","metric":"temp_c","op":">","value":40}""", "eng1", CancellationToken.None);
        await Commands(h).DeleteAsync("ups-on-battery", 2, "eng1", CancellationToken.None);
        await h.TickAsync();
        Assert.Empty(await h.OpenAsync("ups-on-battery"));
        Assert.Contains(await h.Store.AuditAsync(open.Id, CancellationToken.None), a => a.Action == "resolved" && a.Detail == "rule 'ups-on-battery' deleted by eng1");
        Assert.Equal(["dc-overheat", "hot"], h.Engine.Rules.Rules.Select(r => r.Id).Order());
    }

    [Fact]
    public async Task StoredRuleThatIsNotValidJson_ExportFailsNamingItImportComparesItThenItIsFixed()
    {
        var file = AlertingHarness.Rules(Overheat, OnBattery);
        await using var h = await AlertingHarness.CreateAsync(file);
        await StoreRawAsync(h, "ups-on-battery", "{\"id\":\"ups-on-battery\",\"kind\":");
        await Catalog(h).RefreshAsync(CancellationToken.None);
        Assert.Equal("ups-on-battery", Assert.Single(Catalog(h).NotRunning).Stored.Id);

        // Export: a file silently lacking the rule would be worse than no file; the failure names the row in both languages.
        var export = Assert.Throws<RuleCommandException>(() => Catalog(h).Export());
        var problem = Assert.Single(export.Problems);
        Assert.Equal(("ups-on-battery", "json"), (problem.RuleId, problem.Field));
        Assert.Contains("không thể xuất danh mục", problem.Vi, StringComparison.Ordinal);

        // Import compares it as different from the file (it is not the file's version), without throwing.
        var items = RuleImport.Classify(RuleCatalog.FileEntries(System.IO.File.ReadAllText(Catalog(h).FilePath)), [.. Catalog(h).Rules.Select(r => r.Stored)]);
        Assert.Equal(ImportStatus.ChangedInDashboard, items.Single(i => i.Id == "ups-on-battery").Status);
        Assert.False(RuleCatalog.SameDefinition("not json", "not json"));

        // Enabling or disabling cannot edit text that is not JSON: refused with the reason, not a JsonException.
        var toggle = await Assert.ThrowsAsync<RuleCommandException>(() => Commands(h).SetEnabledAsync("ups-on-battery", 2, false, "eng1", CancellationToken.None));
        Assert.Equal("json", Assert.Single(toggle.Problems).Field);

        // Fixed by an update: it runs, and the catalogue exports again.
        await Commands(h).UpdateAsync("ups-on-battery", 2, OnBattery, "eng1", CancellationToken.None);
        await h.TickAsync();
        Assert.Empty(Catalog(h).NotRunning);
        Assert.Contains("ups-on-battery", h.Engine.Rules.ById.Keys);
        Assert.Equal(2, RuleLoader.ParseAll(Catalog(h).Export(), "export").All.Count);
    }

    [Fact]
    public async Task Delete_StoredRuleThatIsNotValidJson_DeletedAndItsOpenAlertResolved()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(Overheat, OnBattery));
        await h.TelemetryAsync(TestDevices.DcUps, """{"on_battery": true}""");
        var open = Assert.Single(await h.OpenAsync("ups-on-battery"));
        await StoreRawAsync(h, "ups-on-battery", "not json at all");
        await h.AdvanceAsync(TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(6));
        Assert.Equal(open.Id, Assert.Single(await h.OpenAsync("ups-on-battery")).Id);

        await Commands(h).DeleteAsync("ups-on-battery", 2, "eng1", CancellationToken.None);
        await h.TickAsync();

        Assert.Equal(["dc-overheat"], Catalog(h).Rules.Select(r => r.Stored.Id));
        Assert.Empty(await h.OpenAsync("ups-on-battery"));
        Assert.Contains(await h.Store.AuditAsync(open.Id, CancellationToken.None), a => a.Action == "resolved" && a.Detail == "rule 'ups-on-battery' deleted by eng1");
    }

    [Fact]
    public async Task Refresh_StoredRuleWithoutAnId_ProblemNamesTheStoredRowNotAPositionInTheFilteredDocument()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(Overheat, OnBattery));
        await StoreRawAsync(h, "dc-overheat", """{"kind":"forecast","severity":"major","metric":"temp_c"}""");
        await StoreRawAsync(h, "ups-on-battery", """{"kind":"state","severity":"major","metric":"on_battery","equals":true}""");

        await Catalog(h).RefreshAsync(CancellationToken.None);

        Assert.Equal(2, Catalog(h).NotRunning.Count);
        Assert.All(Catalog(h).NotRunning, r => Assert.All(r.Problems, p => Assert.Equal((r.Stored.Id, (int?)null), (p.RuleId, p.Index))));
        Assert.DoesNotContain("rule #", Assert.Single(Catalog(h).DegradedReasons()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_StoredValueOfTheWrongJsonType_OnlyThatRuleIsRefusedNamingIt()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(Overheat, OnBattery));

        // A type the file's reader cannot take fails the whole document, naming no rule: the rule failing alone is found.
        await StoreRawAsync(h, "dc-overheat", Overheat.Replace("\"value\":35", "\"value\":\"35 độ\"", StringComparison.Ordinal));
        await h.AdvanceAsync(TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(6));

        Assert.Equal(["ups-on-battery"], h.Engine.Rules.Rules.Select(r => r.Id));
        var refused = Assert.Single(Catalog(h).NotRunning);
        Assert.Equal("dc-overheat", refused.Stored.Id);
        var problem = Assert.Single(refused.Problems);
        Assert.Equal(("dc-overheat", "json"), (problem.RuleId, problem.Field));
        Assert.Contains("rule 'dc-overheat'", Assert.Single(Catalog(h).DegradedReasons()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_VersionConflictAtTheStore_OpenAlertsStayOpenAndNoDeletionReasonIsLeftBehind()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(Overheat, OnBattery));
        await h.TelemetryAsync(TestDevices.DcUps, """{"on_battery": true}""");
        var open = Assert.Single(await h.OpenAsync("ups-on-battery"));
        var store = h.Services.GetRequiredService<IRuleCatalogStore>();
        // Another process changes the rule between this command's read and its write: the store refuses the delete.
        var racing = new RacingRuleStore(store, async () =>
        {
            var before = (await store.ListAsync(CancellationToken.None)).Single(r => r.Id == "ups-on-battery");
            var after = before with { Definition = OnBattery.Replace("major", "critical", StringComparison.Ordinal), Version = before.Version + 1, ChangedBy = "eng2" };
            Assert.True(await store.ApplyAsync([new RuleWrite(before.Id, before.Version, after, "rule.update", "other host")], "eng2", h.Now, CancellationToken.None));
        });
        var commands = new RuleCommands(Catalog(h), racing, h.Store, h.Time);

        var error = await Assert.ThrowsAsync<RuleCommandException>(() => commands.DeleteAsync("ups-on-battery", 1, "alice", CancellationToken.None));
        await h.TickAsync();

        Assert.Equal(RuleCommandFailure.Conflict, error.Failure);
        Assert.False(Catalog(h).HasRemovalReason("ups-on-battery"));
        Assert.Equal(open.Id, Assert.Single(await h.OpenAsync("ups-on-battery")).Id);
        Assert.DoesNotContain(await h.Store.AuditAsync(open.Id, CancellationToken.None), a => a.Action == "resolved");

        // Removed later by another host (no reason noted here): the alert's trail does not blame alice.
        var current = Stored(h, "ups-on-battery");
        Assert.True(await store.ApplyAsync([new RuleWrite(current.Id, current.Version, null, "rule.delete", "other host")], "eng2", h.Now, CancellationToken.None));
        await h.AdvanceAsync(TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(6));
        Assert.Empty(await h.OpenAsync("ups-on-battery"));
        var resolved = Assert.Single(await h.Store.AuditAsync(open.Id, CancellationToken.None), a => a.Action == "resolved");
        Assert.Equal("rule removed from the rule catalogue", resolved.Detail);
    }

    /// <summary>The real store, with another writer's change landing just before this process's write.</summary>
    private sealed class RacingRuleStore(IRuleCatalogStore inner, Func<Task> race) : IRuleCatalogStore
    {
        public Task<IReadOnlyList<StoredRule>> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);

        public Task<bool> IsSeededAsync(CancellationToken cancellationToken) => inner.IsSeededAsync(cancellationToken);

        public Task<bool> SeedAsync(IReadOnlyList<StoredRule> rules, string source, DateTimeOffset at, CancellationToken cancellationToken) =>
            inner.SeedAsync(rules, source, at, cancellationToken);

        public async Task<bool> ApplyAsync(IReadOnlyList<RuleWrite> writes, string userName, DateTimeOffset at, CancellationToken cancellationToken)
        {
            await race();
            return await inner.ApplyAsync(writes, userName, at, cancellationToken);
        }
    }
}
