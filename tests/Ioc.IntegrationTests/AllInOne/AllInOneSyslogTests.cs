using Ioc.Alerting.Service;
using Ioc.Collector.Diagnostics;
using Ioc.IntegrationTests.Infrastructure;
using Ioc.Simulators.Hosting;
using Ioc.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Ioc.IntegrationTests.AllInOne;

/// <summary>
/// The all-in-one demo's firewalls speak syslog: the brute-force scenario's login failures leave the simulated firewall
/// as FortiGate syslog over TCP from the firewall's own loopback address, reach the collector's syslog receiver in the
/// same process, are attributed to that firewall by the sender mapping, stored, and raise the shipped brute-force rule
/// that the SOC console shows.
/// </summary>
public sealed class AllInOneSyslogTests : IAsyncLifetime
{
    private AllInOneHost _host = null!;

    public async Task InitializeAsync() => _host = await AllInOneHost.StartAsync(
        $"--Ioc:Simulators:FleetFile={Path.Combine(RepositoryRoot.Path, "simulators", "fleets", "small.json")}",
        "--Ioc:Simulators:Backfill=00:00:00",
        "--Ioc:Dashboard:AdminPassword=all-in-one-syslog-password");

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task BruteForceScenario_ArrivesAsFortiGateSyslog_AndRaisesTheAlert()
    {
        var status = _host.Services.GetRequiredService<CollectorStatus>();
        var listeners = status.Snapshot().Syslog!.Listeners;
        Assert.Contains(listeners, l => l.StartsWith("tcp 127.0.0.1:", StringComparison.Ordinal));

        var scenario = _host.Services.GetRequiredService<IScenarioRunner>().Start("brute-force,rate=600,src_ip=198.51.100.23,duration=2m");
        var firewall = ((Ioc.Simulators.Scenarios.BruteForceScenario)scenario).Firewall;

        var alerts = _host.Services.GetRequiredService<IAlertQueries>();
        await Wait.UntilAsync(
            async () => (await alerts.ListOpenAsync(new Ioc.Contract.Alerts.AlertFilter { RuleId = "brute-force" }, CancellationToken.None)).Count > 0,
            TimeSpan.FromSeconds(30),
            "the brute-force alert");

        var syslog = status.Snapshot().Syslog!;
        var source = syslog.Sources.Single(s => s.Device == firewall.Address.ToString());
        Assert.StartsWith("127.1.", source.Source, StringComparison.Ordinal);
        Assert.True(source.Enqueued >= 5, $"{source.Enqueued} syslog messages from {source.Source}");
        Assert.Equal(0, syslog.UnknownSender + syslog.Rejected + syslog.Dropped);

        var store = _host.Services.GetRequiredService<ITelemetryStore>();
        var query = new PointQuery("event", DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5)) { Tags = new Dictionary<string, string> { ["device"] = firewall.Id, ["type"] = "auth_failure" } };

        // The engine sees each event as it is decoded, before its batch is written: wait for the store as well.
        await Wait.UntilAsync(async () => (await store.QueryAsync(query, CancellationToken.None)).Count >= 5, TimeSpan.FromSeconds(15), "the events stored");
        var events = await store.QueryAsync(query, CancellationToken.None);
        Assert.All(events, e =>
        {
            Assert.Equal("tcp", e.GetField("transport")?.AsString());
            Assert.Equal("fortinet", e.GetField("vendor")?.AsString());
            Assert.Equal("198.51.100.23", e.GetField("src_ip")?.AsString());
            Assert.Equal("0100032002", e.GetField("logid")?.AsString());
        });
    }
}
