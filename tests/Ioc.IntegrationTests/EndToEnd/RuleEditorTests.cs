using System.Globalization;
using Ioc.AllInOne;
using Ioc.Alerting.Engine;
using Ioc.Alerting.Rules;
using Ioc.Alerting.Service;
using Ioc.Contract.Alerts;
using Ioc.Dashboard.Security;
using Ioc.IntegrationTests.Infrastructure;
using Ioc.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Ioc.IntegrationTests.EndToEnd;

/// <summary>
/// An engineer adds an alert rule in the dashboard of the all-in-one host (real embedded broker, collector, SQLite
/// store, alert engine) in headless Chromium: the page names a missing key in Vietnamese, the dry-run finds the
/// readings published before, the saved rule fires on a new reading without a restart, the exported rules file holds
/// it, and the administrator finds the change with its JSON in the audit log.
/// </summary>
public sealed class RuleEditorTests : IAsyncLifetime
{
    private const string Password = "rules-e2e-password";
    private const string DeviceUser = "rules-e2e-devices";
    private const string DevicePassword = "rules-e2e-devices-password";
    private const string RuleId = "e2e-pressure-high";
    private const string Device = "RULE-E2E-01";
    private readonly string _folder = Directory.CreateTempSubdirectory("ioc-e2e-rules-").FullName;
    private readonly int _mqttPort = FreePort.Next();
    private WebApplication _app = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private string _baseUrl = string.Empty;

    public async Task InitializeAsync()
    {
        var httpPort = FreePort.Next();
        _baseUrl = $"http://127.0.0.1:{httpPort}/";
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(AllInOneExtensions).Assembly.GetName().Name,
            Args =
            [
                $"--Urls=http://127.0.0.1:{httpPort}",
                $"--Ioc:Broker:Port={_mqttPort}",
                $"--Ioc:Storage:Sqlite:Path={_folder}/ioc.db",
                $"--Ioc:Collector:SpoolPath={_folder}/spool",
                "--Ioc:Collector:BatchInterval=00:00:00.100",
                "--Ioc:Simulators:Enabled=false",
                $"--Ioc:Broker:Accounts:{DeviceUser}:Password={DevicePassword}",
                $"--Ioc:Broker:Accounts:{DeviceUser}:Role=Simulators",
                $"--Ioc:Dashboard:AdminPassword={Password}",
                "--Logging:LogLevel:Default=Warning",
            ],
        });
        builder.AddAllInOne();
        _app = builder.Build();
        _app.MapAllInOne();
        await _app.StartAsync();
        await _app.Services.GetRequiredService<UserStore>().CreateAsync("eng1", "Trần Thị Bình", Roles.Engineer, Password, CancellationToken.None);

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Engineer_CreatesDryRunsAndSavesARule_ItFiresOnLiveData_IsExported_AndAudited()
    {
        // Arrange: readings of the last minutes, one above 6 bar, stored before the rule exists.
        var telemetry = _app.Services.GetRequiredService<ITelemetryStore>();
        var alerts = _app.Services.GetRequiredService<IAlertQueries>();
        var now = DateTimeOffset.UtcNow;
        await using var publisher = await Publisher.ConnectAsync(_mqttPort, username: DeviceUser, password: DevicePassword);
        double[] earlier = [2.4, 6.8, 2.2];
        for (var i = 0; i < earlier.Length; i++)
        {
            await PublishAsync(publisher, now.AddMinutes(-10 + i), earlier[i]);
        }

        await Wait.UntilAsync(
            async () => await telemetry.CountAsync(new PointQuery("env-sensor", now.AddHours(-1), now.AddMinutes(1)), CancellationToken.None) >= 3,
            TimeSpan.FromSeconds(20),
            "the three earlier readings are stored");

        var page = await LoginAsync("eng1", "rules");
        await page.ClickAsync("[data-testid=rule-new]");
        await Field(page, "rule-field-id").FillAsync(RuleId);
        await Field(page, "rule-field-name-vi").FillAsync("Áp suất nước cao");
        await Field(page, "rule-field-name-en").FillAsync("Water pressure high");
        await Field(page, "rule-field-device-types").FillAsync("env-sensor");
        await Field(page, "rule-field-value").FillAsync("6");

        // Act 1: save without a metric: refused, the key named, the reason in Vietnamese.
        await page.ClickAsync("[data-testid=rule-save]");
        var error = page.Locator("[data-testid=rule-error][data-field=metric]");
        await Assertions.Expect(error).ToContainTextAsync("cần có 'metric'", new() { Timeout = 10_000 });
        Assert.Empty(await alerts.ListAsync(new AlertFilter { RuleId = RuleId }, CancellationToken.None));

        // Act 2: the metric given, a dry run over the last hour finds the 6.8 bar reading and nothing else.
        await Field(page, "rule-field-metric").FillAsync("pressure_bar");
        await page.ClickAsync("[data-testid=rule-dryrun]");
        var hits = page.Locator("[data-testid=dryrun-hit][data-firing=true]");
        await Assertions.Expect(hits).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await Assertions.Expect(hits.First).ToContainTextAsync(Device);
        await Assertions.Expect(hits.First).ToContainTextAsync("6,8");
        Assert.Empty(await alerts.ListAsync(new AlertFilter { RuleId = RuleId }, CancellationToken.None));

        // Act 3: saved, the engine takes the rule without a restart, and a new reading above 6 bar fires it.
        await page.ClickAsync("[data-testid=rule-save]");
        await Assertions.Expect(page.Locator($"[data-testid=rule-row][data-rule={RuleId}]")).ToContainTextAsync("Áp suất nước cao", new() { Timeout = 10_000 });
        var engine = _app.Services.GetRequiredService<AlertEngine>();
        await Wait.UntilAsync(() => engine.Rules.ById.ContainsKey(RuleId), TimeSpan.FromSeconds(15), "the engine evaluates the new rule");
        await PublishAsync(publisher, DateTimeOffset.UtcNow, 7.2);
        Alert? fired = null;
        await Wait.UntilAsync(
            async () => (fired = (await alerts.ListOpenAsync(new AlertFilter { RuleId = RuleId }, CancellationToken.None)).FirstOrDefault()) is not null,
            TimeSpan.FromSeconds(20),
            "the new rule fires on the live reading");
        Assert.Equal((Device, 7.2, AlertSeverity.Major), (fired!.DeviceId, fired.Value, fired.Severity));
        await page.GotoAsync("alerts");
        await page.WaitForSelectorAsync("[data-interactive=yes]");
        await Assertions.Expect(page.Locator($"[data-testid=alert-row][data-alert-id='{fired.Id.ToString(CultureInfo.InvariantCulture)}']")).ToHaveCountAsync(1, new() { Timeout = 15_000 });

        // Act 4: the exported rules file holds the rule, and the engine's loader reads it back.
        await page.GotoAsync("rules");
        await page.WaitForSelectorAsync("[data-interactive=yes]");
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=rule-export]"));
        var exported = await File.ReadAllTextAsync((await download.PathAsync())!);
        var rules = RuleLoader.ParseAll(exported, download.SuggestedFilename);
        var rule = Assert.Single(rules.All, r => r.Id == RuleId);
        Assert.Equal(("pressure_bar", 6.0, "Water pressure high"), (rule.Metric, rule.Comparison!.Trigger, rule.Name.En));

        // Act 5: the administrator finds the creation, by whom, with the rule's JSON after it.
        var admin = await LoginAsync("admin", "admin/audit");
        var row = admin.Locator("[data-testid=audit-row]", new() { HasText = "rule:" + RuleId });
        await Assertions.Expect(row.Filter(new() { HasText = "rule.create" })).ToHaveCountAsync(1, new() { Timeout = 10_000 });
        var created = row.Filter(new() { HasText = "rule.create" });
        await Assertions.Expect(created).ToContainTextAsync("eng1");
        await created.Locator("[data-testid=audit-change] summary").ClickAsync();
        await Assertions.Expect(created.Locator("[data-testid=audit-after]")).ToContainTextAsync("\"metric\":\"pressure_bar\"");
        await Assertions.Expect(created.Locator("[data-testid=audit-before]")).ToHaveTextAsync("—");
    }

    private static Task PublishAsync(Publisher publisher, DateTimeOffset at, double bar) =>
        publisher.PublishAsync(
            $"ioc/v1/dc-tinh/env-sensor/{Device}/telemetry",
            "{\"ts\":" + at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) + ",\"metrics\":{\"pressure_bar\":" + bar.ToString("0.0", CultureInfo.InvariantCulture) + "}}");

    private static ILocator Field(IPage page, string testId) =>
        page.Locator($"[data-testid={testId}]").Locator("xpath=self::input | .//input | .//textarea").First;

    private async Task<IPage> LoginAsync(string user, string path)
    {
        var context = await _browser.NewContextAsync(new() { BaseURL = _baseUrl, ViewportSize = new() { Width = 1920, Height = 1080 }, Locale = "vi-VN", AcceptDownloads = true });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"login?returnUrl={Uri.EscapeDataString("/" + path)}");
        await page.FillAsync("[data-testid=login-user]", user);
        await page.FillAsync("[data-testid=login-password]", Password);
        await page.ClickAsync("[data-testid=login-submit]");
        await page.WaitForSelectorAsync("[data-interactive=yes]", new() { Timeout = 20_000 });
        return page;
    }
}
