using System.Diagnostics;
using Ioc.IntegrationTests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace Ioc.IntegrationTests.Deployment;

/// <summary>
/// The production topology's promise, with the shipped collector host as two operating-system processes on one
/// Mosquitto, one InfluxDB 1.6.7 and one PostgreSQL: ingestion is shared, one process evaluates the rules under a lease,
/// and a SIGKILL of that process mid-stream loses no message and no violation, and raises no alert twice.
/// </summary>
public sealed class EvaluatorFailoverTests(ITestOutputHelper output)
{
    private const int Messages = 50_000;
    private const int ViolationsPerPhase = 10;
    private const string Database = "failover";

    [Fact]
    public async Task ActiveEvaluatorKilledMidStream_StandbyTakesOver_EveryMessageStoredOnce_EveryViolationAlertedOnce()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var influx = await InfluxDbServer.StartAsync();
        await using var postgres = await PostgresServer.StartAsync();
        var operational = await postgres.DatabaseAsync("failover");
        var folder = Directory.CreateTempSubdirectory("ioc-failover-").FullName;

        Dictionary<string, string> Settings(string node) => new()
        {
            ["Ioc:Mqtt:Host"] = "127.0.0.1",
            ["Ioc:Mqtt:Port"] = broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Ioc:Mqtt:ClientId"] = $"collector-{node}",
            ["Ioc:Collector:Connections"] = "2",
            ["Ioc:Collector:SharedGroup"] = "ioc-collector",
            ["Ioc:Alerting:CommandToken"] = "failover-test-command-token",
            ["Ioc:Alerting:Announcements:Enabled"] = "false",
            ["Ioc:Storage:Provider"] = "InfluxDB",
            ["Ioc:Storage:InfluxDB:Url"] = influx.Url,
            ["Ioc:Storage:InfluxDB:Database"] = Database,
            ["Ioc:Operational:Provider"] = "Postgres",
            ["Ioc:Operational:Postgres:ConnectionString"] = operational,
            ["Ioc:Collector:SpoolPath"] = Path.Combine(folder, node, "spool"),
            ["Ioc:Collector:BatchInterval"] = "00:00:00.100",
            ["Ioc:Alerting:Evaluator:Input"] = "Lease",
            ["Ioc:Alerting:Evaluator:Holder"] = node,
            ["Ioc:Alerting:Evaluator:LeaseTtl"] = "00:00:03",
            ["Ioc:Alerting:Evaluator:RenewInterval"] = "00:00:00.500",
        };

        var a = await HostProcess.StartCollectorAsync("a", Settings("a"));
        await Wait.UntilAsync(async () => await LeaseHolderAsync(operational) == "a", TimeSpan.FromSeconds(30), "collector a holds the evaluator lease");
        var b = await HostProcess.StartCollectorAsync("b", Settings("b"));
        HostProcess? aAgain = null;
        try
        {
            await using var publisher = await Publisher.ConnectAsync(broker.Port);
            var third = Messages / 3;

            // Before the kill: a third of the stream and the first violations, evaluated by a.
            await publisher.PublishManyAsync(third, i => Telemetry.EnvSensor(i), window: 200);
            await PublishViolationsAsync(publisher, phase: 0);
            await Wait.UntilAsync(async () => await CountAlertsAsync(operational) >= ViolationsPerPhase, TimeSpan.FromSeconds(30), "a raised the first violations");

            // Mid-stream: SIGKILL the active evaluator while the second third is in flight.
            var publishing = publisher.PublishManyAsync(third, i => Telemetry.EnvSensor(third + i), window: 200);
            await Wait.UntilAsync(async () => await influx.CountAsync(Database, "SELECT COUNT(seq) FROM \"env-sensor\"") >= third + (third / 4), TimeSpan.FromSeconds(30), "the second third under way");
            var killed = Stopwatch.StartNew();
            a.Kill();
            // Violations published while nobody evaluates: the broker keeps them in the evaluator's session.
            await PublishViolationsAsync(publisher, phase: 1);
            await publishing;
            await Wait.UntilAsync(async () => await LeaseHolderAsync(operational) == "b", TimeSpan.FromSeconds(30), "b takes the evaluator lease");
            var leaseTakenAfter = killed.Elapsed;
            await Wait.UntilAsync(async () => await CountAlertsAsync(operational) >= 2 * ViolationsPerPhase, TimeSpan.FromSeconds(30), "b raised the violations published during the takeover");
            var evaluatingAfter = killed.Elapsed;

            // After the takeover: the last third and the last violations, evaluated by b.
            await publisher.PublishManyAsync(Messages - (2 * third), i => Telemetry.EnvSensor((2 * third) + i), window: 200);
            await PublishViolationsAsync(publisher, phase: 2);

            // The orchestrator restarts the killed node: it drains the share the broker kept in its session, as a standby.
            aAgain = await HostProcess.StartCollectorAsync("a2", Settings("a"));
            await Wait.UntilAsync(async () => await influx.CountAsync(Database, "SELECT COUNT(seq) FROM \"env-sensor\"") >= Messages, TimeSpan.FromSeconds(60), "every message stored");
            await Wait.UntilAsync(async () => await CountAlertsAsync(operational) >= 3 * ViolationsPerPhase, TimeSpan.FromSeconds(30), "every violation alerted");

            var stored = await influx.CountAsync(Database, "SELECT COUNT(seq) FROM \"env-sensor\"");
            var distinct = await influx.CountAsync(Database, "SELECT COUNT(DISTINCT(seq)) FROM \"env-sensor\"");
            var perDevice = await AlertsPerLeakSensorAsync(operational);
            output.WriteLine($"sent {Messages}, stored {stored}, distinct {distinct}; water-leak alerts {perDevice.Values.Sum()} for {perDevice.Count} sensors (expected {3 * ViolationsPerPhase})");
            output.WriteLine($"takeover: lease taken {leaseTakenAfter.TotalSeconds:F2} s after SIGKILL (TTL 3 s), violations of the gap alerted {evaluatingAfter.TotalSeconds:F2} s after it");
            Console.WriteLine($"evaluator failover: lease taken {leaseTakenAfter.TotalSeconds:F2} s after SIGKILL, gap's violations alerted after {evaluatingAfter.TotalSeconds:F2} s; stored {stored} = distinct {distinct} = sent {Messages}");

            Assert.Equal(Messages, stored);
            Assert.Equal(Messages, distinct);
            Assert.Equal(3 * ViolationsPerPhase, perDevice.Count);
            Assert.All(perDevice, pair => Assert.Equal(1, pair.Value));
            Assert.Equal("b", await LeaseHolderAsync(operational));
        }
        catch (Exception) when (Dump(a, b, aAgain))
        {
            throw;
        }
        finally
        {
            await b.DisposeAsync();
            if (aAgain is not null)
            {
                await aAgain.DisposeAsync();
            }

            await a.DisposeAsync();
        }
    }

    private bool Dump(params HostProcess?[] nodes)
    {
        foreach (var node in nodes)
        {
            if (node is not null)
            {
                output.WriteLine(node.Output);
            }
        }

        return false;
    }

    private static async Task PublishViolationsAsync(Publisher publisher, int phase)
    {
        for (var k = 0; k < ViolationsPerPhase; k++)
        {
            var sensor = $"LEAK-{phase}-{k:D2}";
            await publisher.PublishAsync($"ioc/v1/dc-tinh/env-sensor/{sensor}/telemetry", "{\"metrics\":{\"water_leak\":true}}");
        }
    }

    private static async Task<string?> LeaseHolderAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT holder FROM leases WHERE name = 'alert-evaluator' AND expires_at > now()", connection);
        return await command.ExecuteScalarAsync() as string;
    }

    private static async Task<long> CountAlertsAsync(string connectionString) => (await AlertsPerLeakSensorAsync(connectionString)).Values.Sum();

    private static async Task<Dictionary<string, long>> AlertsPerLeakSensorAsync(string connectionString)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT device_id, count(*) FROM ioc_alerts WHERE rule_id = 'water-leak' GROUP BY device_id", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                result[reader.GetString(0)] = reader.GetInt64(1);
            }
        }
        catch (PostgresException ex) when (ex.SqlState == "42P01")
        {
            // The view appears with the first migration.
        }

        return result;
    }
}
