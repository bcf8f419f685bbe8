using System.Globalization;
using System.Text;
using Bunit;
using Ioc.Alerting.Engine;
using Ioc.Alerting.Hosting;
using Ioc.Alerting.Service;
using Ioc.Storage.Operational;
using Ioc.Contract;
using Ioc.Contract.Alerts;
using Ioc.Dashboard.Security;
using Ioc.Dashboard.Tests.Shared;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using AlertsPage = Ioc.Dashboard.Components.Pages.Alerts;

namespace Ioc.Dashboard.Tests.Components;

/// <summary>
/// The all-in-one shape: the real alert engine (<c>AddAlerting</c>) in the dashboard's process on the same SQLite file.
/// The page hears the engine's in-process feed (AlertFeed as IAlertChanges) and sends commands to the engine itself.
/// </summary>
public sealed class InProcessEngineTests : IAsyncLifetime
{
    private const string Rules = """{"version": 1, "districts": ["thanh-ha"], "sites": {"dc-tinh": "tp-hai-duong"}, "rules": [{"id":"ups-on-battery","kind":"state","severity":"critical","scope":{"deviceTypes":["ups"]},"metric":"on_battery","equals":true}]}""";
    private readonly DashboardTestContext _ctx = new(withAlertEngine: false);
    private readonly string _rulesPath = Path.Combine(Path.GetTempPath(), $"ioc-dashboard-rules-{Guid.NewGuid():N}.json");

    public InProcessEngineTests()
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("en-US");
        File.WriteAllText(_rulesPath, Rules);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ioc:Alerting:RulesPath"] = _rulesPath,
        }).Build();
        // The context's SqliteDatabase and fake clock are registered first, so the engine shares them.
        _ctx.Services.AddAlerting(configuration);
    }

    [Fact]
    public async Task EngineFiresThenOperatorAcknowledges_PageFollowsTheFeedAndTheEngineRecordsTheOperator()
    {
        // Arrange
        _ctx.SignInAs("op1", Roles.Operator);
        var page = _ctx.Render<AlertsPage>();
        Assert.Empty(page.FindAll("[data-testid=alert-row]"));

        // Act 1: the engine evaluates a UPS going on battery.
        var decoded = new MessageDecoder(new ContractOptions())
            .Decode("ioc/v1/dc-tinh/ups/DC-UPS-01/telemetry", Encoding.UTF8.GetBytes("""{"metrics":{"on_battery":true}}"""), _ctx.Time.GetUtcNow());
        await _ctx.Services.GetRequiredService<AlertEngine>().ProcessAsync(decoded.Message!, CancellationToken.None);
        _ctx.FlushLive();

        // Assert 1: the row appears from the feed, with the cue for a new critical alert.
        page.WaitForAssertion(() => Assert.Equal("firing", page.Find("[data-testid=alert-row]").GetAttribute("data-state")));
        Assert.NotNull(page.Find("[data-testid=new-critical]"));

        // Act 2
        page.Find("[data-testid=ack]").Click();

        // Assert 2: the page, the store and the audit trail agree on who acknowledged.
        page.WaitForAssertion(() => Assert.Equal("acknowledged", page.Find("[data-testid=alert-row]").GetAttribute("data-state")));
        var stored = Assert.Single(await _ctx.Services.GetRequiredService<IAlertStore>().ListOpenAsync(CancellationToken.None));
        Assert.Equal(AlertState.Acknowledged, stored.State);
        Assert.Equal("op1", stored.AcknowledgedBy);
        var details = await _ctx.Services.GetRequiredService<IAlertQueries>().GetAsync(stored.Id, CancellationToken.None);
        Assert.Contains(details!.Audit, a => a.Actor == "op1" && a.Action == "acknowledged");
    }

    public async Task InitializeAsync()
    {
        await _ctx.Services.GetRequiredService<IAlertStore>().MigrateAsync(CancellationToken.None);
        await _ctx.Services.GetRequiredService<AlertEngine>().InitializeAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _ctx.DisposeAsync();
        File.Delete(_rulesPath);
    }
}
