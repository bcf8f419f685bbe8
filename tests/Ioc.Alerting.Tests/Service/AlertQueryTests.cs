using Ioc.Alerting.Hosting;
using Ioc.Contract.Alerts;
using Ioc.Alerting.Service;
using Ioc.Alerting.Tests.Shared;
using Ioc.Contract;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ioc.Alerting.Tests.Service;

public sealed class AlertQueryTests
{
    private const string Rules = """
        {"version":1,"districts":["thanh-ha"],"sites":{"dc-tinh":"tp-hai-duong"},"rules":[
          {"id":"hot","kind":"threshold","severity":"critical","metric":"temp_c","op":">","value":35},
          {"id":"warm","kind":"threshold","severity":"warning","metric":"temp_c","op":">","value":30},
          {"id":"one-sensor","kind":"threshold","severity":"info","scope":{"devices":["DC-ENV-02"]},"metric":"temp_c","op":">","value":20},
          {"id":"root-login","kind":"event_count","severity":"major","eventType":"auth_failure","where":{"user":"root"},"window":"60s","count":2}
        ]}
        """;

    [Fact]
    public async Task ListOpen_Filters_BySeveritySiteDistrictRuleAndAssignee()
    {
        await using var h = await AlertingHarness.CreateAsync(Rules);
        await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 40}""");
        await h.TelemetryAsync(TestDevices.ThSwitch, """{"temp_c": 33}""");
        var hot = (await h.OpenAsync("hot")).Single();
        await h.Service.AssignAsync(hot.Id, "minh", "lan", CancellationToken.None);

        Assert.Equal(3, (await h.Service.ListOpenAsync(null, CancellationToken.None)).Count);
        Assert.Equal(["hot"], (await h.Service.ListOpenAsync(new AlertFilter { MinSeverity = AlertSeverity.Major }, CancellationToken.None)).Select(a => a.RuleId));
        Assert.Equal(2, (await h.Service.ListOpenAsync(new AlertFilter { Site = "dc-tinh" }, CancellationToken.None)).Count);
        Assert.Equal(["warm"], (await h.Service.ListOpenAsync(new AlertFilter { District = "thanh-ha" }, CancellationToken.None)).Select(a => a.RuleId));
        Assert.Equal([hot.Id], (await h.Service.ListOpenAsync(new AlertFilter { Assignee = "minh" }, CancellationToken.None)).Select(a => a.Id));
        var ordered = await h.Service.ListOpenAsync(null, CancellationToken.None);
        Assert.Equal(AlertSeverity.Critical, ordered[0].Severity);
    }

    [Fact]
    public async Task Scope_ByDeviceId_OnlyThatDevice()
    {
        await using var h = await AlertingHarness.CreateAsync(Rules);

        await h.TelemetryAsync(TestDevices.DcSensor, """{"temp_c": 25}""");
        await h.TelemetryAsync(TestDevices.DcSensor2, """{"temp_c": 25}""");

        var alert = Assert.Single(await h.OpenAsync("one-sensor"));
        Assert.Equal("DC-ENV-02", alert.DeviceId);
    }

    [Fact]
    public async Task EventCount_WhereFilter_CountsOnlyMatchingAttributes()
    {
        await using var h = await AlertingHarness.CreateAsync(Rules);

        await h.SendAsync(TestMessages.Event(TestDevices.DcServer, "auth_failure", """{"user":"admin","src_ip":"198.51.100.1"}""", h.Now));
        await h.SendAsync(TestMessages.Event(TestDevices.DcServer, "auth_failure", """{"user":"admin","src_ip":"198.51.100.1"}""", h.Now));
        await h.SendAsync(TestMessages.Event(TestDevices.DcServer, "auth_failure", """{"user":"root","src_ip":"198.51.100.1"}""", h.Now));
        Assert.Empty(await h.OpenAsync("root-login"));

        await h.SendAsync(TestMessages.Event(TestDevices.DcServer, "auth_failure", """{"user":"root","src_ip":"198.51.100.2"}""", h.Now));
        Assert.Equal("DC-SRV-01", Assert.Single(await h.OpenAsync("root-login")).DeviceId);
    }

    [Fact]
    public void AddAlerting_Disabled_RegistersTheQueriesButNoObserver()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ioc:Alerting:Enabled"] = "false",
            ["Ioc:Storage:Sqlite:Path"] = Path.Combine(Path.GetTempPath(), "ioc-alerting-tests", Guid.NewGuid().ToString("N"), "ioc.db"),
        }).Build();
        var services = new ServiceCollection().AddLogging();

        services.AddAlerting(configuration);

        using var provider = services.BuildServiceProvider();
        Assert.Empty(provider.GetServices<ITelemetryObserver>());
        Assert.NotNull(provider.GetRequiredService<IAlertService>());
    }
}
