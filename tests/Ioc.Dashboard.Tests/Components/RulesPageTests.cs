using System.Globalization;
using Bunit;
using Ioc.Alerting.Hosting;
using Ioc.Alerting.Rules;
using Ioc.Alerting.Rules.Catalogue;
using Ioc.Dashboard.Security;
using Ioc.Dashboard.Tests.Shared;
using Ioc.Storage;
using Ioc.Storage.Operational;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;
using RulesPage = Ioc.Dashboard.Components.Pages.Rules;

namespace Ioc.Dashboard.Tests.Components;

/// <summary>The rules page over the real catalogue and rule commands on the test's SQLite operational store.</summary>
public sealed class RulesPageTests : IAsyncLifetime
{
    private const string RulesFile = """
        {"version":1,"districts":["thanh-ha"],"rules":[
          {"id":"dc-overheat","name":{"vi":"Phòng máy quá nóng","en":"Server room overheating"},"kind":"threshold","severity":"critical",
           "scope":{"deviceTypes":["env-sensor"]},"metric":"temp_c","op":">","value":35,"clear":32,"for":"2m"}]}
        """;

    private readonly DashboardTestContext _ctx = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("ioc-rules-page-").FullName;

    public RulesPageTests()
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("vi-VN");
        var path = Path.Combine(_folder, "rules.json");
        File.WriteAllText(path, RulesFile);
        var options = new AlertingOptions { RulesPath = path };
        // The same SQLite file as the context's operational store (its services cannot be read before rendering).
        var operational = new Ioc.Storage.Operational.Sqlite.SqliteOperationalStore(_ctx.Database);
        var catalog = new RuleCatalog(RuleLoader.LoadFile(path), options, operational.Rules, _ctx.Time, NullLogger<RuleCatalog>.Instance);
        _ctx.Services.AddSingleton(catalog);
        _ctx.Services.AddSingleton<IRuleCommands>(new RuleCommands(catalog, operational.Rules, operational.Alerts, _ctx.Time));
        _ctx.Services.AddSingleton(sp => new RuleDryRun(catalog, sp.GetRequiredService<ITelemetryStore>(), _ctx.Time));
    }

    public async Task InitializeAsync() => await _ctx.Services.GetRequiredService<RuleCatalog>().LoadAsync(CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _ctx.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Save_AsEngineer_ErrorsNamedInVietnameseThenTheRuleIsListedAndAudited()
    {
        // Arrange
        _ctx.SignInAs("eng1", Roles.Engineer);
        var page = _ctx.Render<RulesPage>();
        await page.Find("[data-testid=rule-new]").ClickAsync(new());
        page.Find("[data-testid=rule-field-id]").Input("hot-aisle");
        page.Find("[data-testid=rule-field-name-vi]").Input("Lối nóng quá nhiệt");
        page.Find("[data-testid=rule-field-value]").Input("abc");

        // Act 1: the form's own number check, and the loader's missing metric and missing English name.
        await page.Find("[data-testid=rule-save]").ClickAsync(new());
        var value = page.WaitForElement("[data-testid=rule-error][data-field=value]");
        Assert.Contains("'value' phải là một số", value.TextContent, StringComparison.Ordinal);
        page.Find("[data-testid=rule-field-value]").Input("30,5");
        await page.Find("[data-testid=rule-save]").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Contains("cần có 'metric'", page.Find("[data-testid=rule-error][data-field=metric]").TextContent, StringComparison.Ordinal));
        Assert.Contains("thiếu văn bản 'en'", page.Find("[data-testid=rule-error][data-field=name]").TextContent, StringComparison.Ordinal);

        // Act 2: complete.
        page.Find("[data-testid=rule-field-name-en]").Input("Hot aisle overheating");
        page.Find("[data-testid=rule-field-metric]").Input("temp_c");
        await page.Find("[data-testid=rule-save]").ClickAsync(new());

        // Assert
        page.WaitForAssertion(() => Assert.Contains("Lối nóng quá nhiệt", page.Find("[data-testid=rule-row][data-rule=hot-aisle]").TextContent, StringComparison.Ordinal));
        var stored = _ctx.Services.GetRequiredService<RuleCatalog>().Rules.Single(r => r.Stored.Id == "hot-aisle");
        Assert.Equal(30.5, stored.Rule!.Comparison!.Trigger);
        Assert.Equal(RuleOrigins.Dashboard, stored.Stored.Origin);
        var audit = await _ctx.Services.GetRequiredService<IAuditStore>().ListAsync(10, "eng1", CancellationToken.None);
        Assert.Contains(audit, e => e.Action == "rule.create" && e.Target == "rule:hot-aisle" && e.Before is null && e.After!.Contains("\"temp_c\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Edit_AsEngineer_FormKeepsTheKeysItDoesNotShow()
    {
        _ctx.SignInAs("eng1", Roles.Engineer);
        var page = _ctx.Render<RulesPage>();

        await page.Find("[data-testid=rule-row][data-rule=dc-overheat] [data-testid=rule-edit]").ClickAsync(new());
        page.Find("[data-testid=rule-field-value]").Input("36");
        await page.Find("[data-testid=rule-save]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("v2", page.Find("[data-testid=rule-row][data-rule=dc-overheat]").TextContent, StringComparison.Ordinal));
        var rule = _ctx.Services.GetRequiredService<RuleCatalog>().Rules.Single().Rule!;
        Assert.Equal((36.0, 32.0, TimeSpan.FromMinutes(2)), (rule.Comparison!.Trigger, rule.Comparison.Clear, rule.For));
        Assert.Equal("Phòng máy quá nóng", rule.Name.Vi);
    }

    [Fact]
    public void Render_AsOperator_ReadOnlyListInTheUserLanguage()
    {
        _ctx.SignInAs("op1", Roles.Operator);

        var page = _ctx.Render<RulesPage>();

        var row = page.Find("[data-testid=rule-row][data-rule=dc-overheat]");
        Assert.Contains("Phòng máy quá nóng", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Ngưỡng", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Tệp quy tắc", row.TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=rule-new]"));
        Assert.Empty(page.FindAll("[data-testid=rule-edit]"));
        Assert.Single(page.FindAll("[data-testid=rule-view]"));
    }

    [Fact]
    public async Task Render_StoredRuleTheLoaderRefuses_BadgeWithTheReasonThenFixedInTheJsonEditor()
    {
        // Arrange: the row as another build (or a database edit) left it, past the commands' validation.
        var rules = new Ioc.Storage.Operational.Sqlite.SqliteOperationalStore(_ctx.Database).Rules;
        var before = (await rules.ListAsync(CancellationToken.None)).Single();
        var broken = before.Definition.Replace("\"critical\"", "\"urgent\"", StringComparison.Ordinal);
        Assert.True(await rules.ApplyAsync([new RuleWrite(before.Id, 1, before with { Definition = broken, Version = 2 }, "rule.update", "by hand")], "dba", _ctx.Time.GetUtcNow(), CancellationToken.None));
        _ctx.SignInAs("eng1", Roles.Engineer);

        // Act
        var page = _ctx.Render<RulesPage>();

        // Assert: listed, marked not running with the loader's reason naming the key, in Vietnamese.
        var row = page.Find("[data-testid=rule-row][data-rule=dc-overheat]");
        Assert.Equal("false", row.GetAttribute("data-running"));
        Assert.Equal("Không chạy: severity: 'severity' phải là một trong critical, major, minor, warning, info (đang là 'urgent')", row.QuerySelector("[data-testid=rule-not-running]")!.TextContent.Trim());
        Assert.StartsWith("1 quy tắc đã lưu không chạy", page.Find("[data-testid=rule-not-running-summary]").TextContent.Trim(), StringComparison.Ordinal);

        // The editor opens on the JSON (the form cannot show what the loader refuses); the fix makes it run.
        await row.QuerySelector("[data-testid=rule-edit]")!.ClickAsync(new());
        page.Find("[data-testid=rule-json]").Input(RuleCatalog.Pretty(before.Definition));
        await page.Find("[data-testid=rule-save]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal("true", page.Find("[data-testid=rule-row][data-rule=dc-overheat]").GetAttribute("data-running")));
        Assert.Empty(page.FindAll("[data-testid=rule-not-running]"));
        Assert.Empty(page.FindAll("[data-testid=rule-not-running-summary]"));
        Assert.Empty(_ctx.Services.GetRequiredService<RuleCatalog>().NotRunning);
    }

    [Fact]
    public async Task Render_StoredRuleTheLoaderRefuses_BadgeInEnglish()
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("en-US");
        var rules = new Ioc.Storage.Operational.Sqlite.SqliteOperationalStore(_ctx.Database).Rules;
        var before = (await rules.ListAsync(CancellationToken.None)).Single();
        var broken = before.Definition.Replace("\"op\":\">\"", "\"op\":\"=>\"", StringComparison.Ordinal);
        Assert.True(await rules.ApplyAsync([new RuleWrite(before.Id, 1, before with { Definition = broken, Version = 2 }, "rule.update", "by hand")], "dba", _ctx.Time.GetUtcNow(), CancellationToken.None));
        _ctx.SignInAs("op1", Roles.Operator);

        var page = _ctx.Render<RulesPage>();

        Assert.Equal("Not running: op: 'op' must be one of >, >=, <, <= (was '=>')", page.Find("[data-testid=rule-row][data-rule=dc-overheat] [data-testid=rule-not-running]").TextContent.Trim());
    }
    [Fact]
    public async Task Edit_StoredRuleThatIsNotValidJson_OpensOnTheRawTextThenFixed()
    {
        var rules = new Ioc.Storage.Operational.Sqlite.SqliteOperationalStore(_ctx.Database).Rules;
        var before = (await rules.ListAsync(CancellationToken.None)).Single();
        const string broken = "{\"id\":\"dc-overheat\",\"kind\":\"threshold\",\"value\":";
        Assert.True(await rules.ApplyAsync([new RuleWrite(before.Id, 1, before with { Definition = broken, Version = 2 }, "rule.update", "by hand")], "dba", _ctx.Time.GetUtcNow(), CancellationToken.None));
        _ctx.SignInAs("eng1", Roles.Engineer);
        var page = _ctx.Render<RulesPage>();
        Assert.Equal("false", page.Find("[data-testid=rule-row][data-rule=dc-overheat]").GetAttribute("data-running"));

        // Before: JsonNode.Parse threw in Edit and the circuit died. Now the JSON editor shows the stored text as it is.
        await page.Find("[data-testid=rule-row][data-rule=dc-overheat] [data-testid=rule-edit]").ClickAsync(new());
        Assert.Equal(broken, page.Find("[data-testid=rule-json]").GetAttribute("value") ?? page.Find("[data-testid=rule-json]").TextContent);
        page.Find("[data-testid=rule-json]").Input(RuleCatalog.Pretty(before.Definition));
        await page.Find("[data-testid=rule-save]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal("true", page.Find("[data-testid=rule-row][data-rule=dc-overheat]").GetAttribute("data-running")));
        var stored = Assert.Single(await rules.ListAsync(CancellationToken.None));
        Assert.Equal((3L, "eng1"), (stored.Version, stored.ChangedBy));
    }

    [Fact]
    public async Task Delete_StoredRuleThatIsNotValidJson_RemovedAndAudited()
    {
        var rules = new Ioc.Storage.Operational.Sqlite.SqliteOperationalStore(_ctx.Database).Rules;
        var before = (await rules.ListAsync(CancellationToken.None)).Single();
        Assert.True(await rules.ApplyAsync([new RuleWrite(before.Id, 1, before with { Definition = "not json", Version = 2 }, "rule.update", "by hand")], "dba", _ctx.Time.GetUtcNow(), CancellationToken.None));
        _ctx.SignInAs("eng1", Roles.Engineer);
        var page = _ctx.Render<RulesPage>();

        await page.Find("[data-testid=rule-row][data-rule=dc-overheat] [data-testid=rule-delete]").ClickAsync(new());
        await page.Find("[data-testid=rule-delete-yes]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=rule-row][data-rule=dc-overheat]")));
        Assert.Empty(await rules.ListAsync(CancellationToken.None));
        Assert.Empty(_ctx.Services.GetRequiredService<RuleCatalog>().Rules);
    }
}
