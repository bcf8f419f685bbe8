using System.Globalization;
using Ioc.Alerting.Election;
using Ioc.Collector.Pipeline;
using Ioc.Contract.Alerts;
using Ioc.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Ioc.IntegrationTests.Syslog;

/// <summary>
/// Syslog in the production topology: two collectors share the ingestion and one of them evaluates the rules under the
/// lease, on the shipped Mosquitto (its ACL and service accounts), a real InfluxDB 1.6.7 and PostgreSQL. A firewall that
/// sends its syslog to the collector without the lease is still evaluated: the receiving collector republishes the
/// admitted event on the evaluator's ingress topic, and the lease holder raises the alert; the events are stored once.
/// </summary>
[Collection(InfluxCollection.Name)]
public sealed class MultiCollectorSyslogTests(InfluxFixture influx, ITestOutputHelper output)
{
    private const string Firewall = "FW-EDGE-01";

    private static readonly Dictionary<string, string> Accounts = new(StringComparer.Ordinal)
    {
        ["ioc-collector"] = "collector-pw",
        ["ioc-engine"] = "engine-pw",
        ["ioc-simulators"] = "simulators-pw",
    };

    [Fact]
    public async Task SyslogToTheStandby_RaisesTheBruteForceAlertOnTheLeaseHolder_StoredOnce()
    {
        await using var broker = await MosquittoBroker.StartShippedAsync(Accounts);
        await using var postgres = await PostgresServer.StartAsync();
        var operational = await postgres.DatabaseAsync("multi_syslog");
        var database = "multisyslog_" + Guid.NewGuid().ToString("N")[..8];

        Dictionary<string, string?> Settings(string node) => new()
        {
            ["Ioc:Mqtt:Username"] = "ioc-collector",
            ["Ioc:Mqtt:Password"] = Accounts["ioc-collector"],
            ["Ioc:Mqtt:Evaluator:Username"] = "ioc-engine",
            ["Ioc:Mqtt:Evaluator:Password"] = Accounts["ioc-engine"],
            ["Ioc:Collector:Subscription"] = "Partitioned",
            ["Ioc:Collector:PartitionCount"] = "2",
            ["Ioc:Collector:PartitionIndex"] = node == "a" ? "0" : "1",
            ["Ioc:Operational:Provider"] = "Postgres",
            ["Ioc:Operational:Postgres:ConnectionString"] = operational,
            ["Ioc:Alerting:Evaluator:Input"] = "Lease",
            ["Ioc:Alerting:Evaluator:Holder"] = node,
            ["Ioc:Alerting:Evaluator:LeaseTtl"] = "00:00:03",
            ["Ioc:Alerting:Evaluator:RenewInterval"] = "00:00:00.500",
            ["Ioc:Syslog:Senders:127.0.0.1"] = $"dc-tinh/firewall/{Firewall}",
        };

        await using var a = new SyslogCollectorHost(broker.Port, influx.Server, database, Settings("a"));
        await a.StartAsync();
        await Wait.UntilAsync(() => a.Services.GetRequiredService<EvaluatorLease>().IsActive, TimeSpan.FromSeconds(20), "collector a holds the evaluator lease");
        await using var b = new SyslogCollectorHost(broker.Port, influx.Server, database, Settings("b"));
        await b.StartAsync();
        Assert.False(b.Services.GetRequiredService<EvaluatorLease>().IsActive);

        // The shipped "brute-force" rule: 5 auth_failure from one src_ip within 60 s, sent to b, which does not evaluate.
        for (var i = 0; i < 5; i++)
        {
            await Tool.RunAsync("logger", ["--rfc5424", "--udp", "--server", "127.0.0.1", "--port", b.UdpPort.ToString(CultureInfo.InvariantCulture), "--tag", "sshd", $"Failed password for admin from 203.0.113.9 port {51000 + i} ssh2"]);
        }

        await Wait.UntilAsync(async () => (await a.OpenAlertsAsync()).Any(x => x.RuleId == "brute-force"), TimeSpan.FromSeconds(20), "the lease holder raised brute-force");
        var alert = (await a.OpenAlertsAsync()).Single(x => x.RuleId == "brute-force");
        Assert.Equal(Firewall, alert.DeviceId);
        Assert.Equal(AlertState.Firing, alert.State);

        // Stored once, by b that received them: a stored nothing of them, and no ingestion subscription took the copy.
        const string Count = "SELECT COUNT(message) FROM \"event\" WHERE \"device\"='FW-EDGE-01' AND \"type\"='auth_failure'";
        await Wait.UntilAsync(async () => await influx.Server.CountAsync(database, Count) >= 5, TimeSpan.FromSeconds(15), "the five events stored");
        var forwarder = b.Services.GetRequiredService<EvaluatorForwarder>();
        await Wait.UntilAsync(() => forwarder.Forwarded == 5, TimeSpan.FromSeconds(5), "b's five copies acknowledged by the broker");
        Assert.Equal(0, forwarder.Dropped);
        Assert.Equal(0, a.Services.GetRequiredService<EvaluatorForwarder>().Forwarded);

        // A device message through the broker after them, stored by whichever collector's partition holds it: once it is
        // in, both pipelines have passed the syslog events' copies too, if any had reached them.
        await using (var device = await MqttProbe.ConnectAcceptedAsync(broker.Port, "ioc-simulators", Accounts["ioc-simulators"]))
        {
            await device.PublishAsync("ioc/v1/dc-tinh/env-sensor/ENV-MARK/telemetry", "{\"metrics\":{\"temperature\":25}}");
        }

        await Wait.UntilAsync(async () => await influx.Server.CountAsync(database, "SELECT COUNT(temperature) FROM \"env-sensor\"") == 1, TimeSpan.FromSeconds(15), "the marker stored");
        var stored = await influx.Server.CountAsync(database, Count);
        output.WriteLine($"auth_failure events stored {stored}; forwarded by b {forwarder.Forwarded}; a accepted {a.Snapshot.Accepted}, b accepted {b.Snapshot.Accepted}");
        Assert.Equal(5, stored);
        Assert.Equal(5, b.Syslog.Received);
        Assert.Equal(0, a.Syslog.Received);
        Assert.Single(await a.OpenAlertsAsync(), x => x.RuleId == "brute-force");
    }
}
