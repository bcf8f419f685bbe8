using System.Globalization;
using Ioc.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Ioc.IntegrationTests.Faults;

/// <summary>The shipped collector host as an operating-system process, killed with SIGKILL mid-stream and started again.</summary>
[Collection(FaultCollection.Name)]
public sealed class CollectorFaultTests(ITestOutputHelper output)
{
    private const int Count = 20_000;

    [Fact]
    public async Task CollectorKilledMidStream_RestartedProcessStoresEveryMessageOnce()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var influx = await InfluxDbServer.StartAsync();
        const string database = "collector_kill";
        var folder = Directory.CreateTempSubdirectory("ioc-faults-collector-").FullName;
        var settings = new Dictionary<string, string>
        {
            ["Ioc:Mqtt:Host"] = "127.0.0.1",
            ["Ioc:Mqtt:Port"] = broker.Port.ToString(CultureInfo.InvariantCulture),
            ["Ioc:Mqtt:ClientId"] = "collector-kill",
            ["Ioc:Collector:Connections"] = "4",
            ["Ioc:Collector:SpoolPath"] = Path.Combine(folder, "spool"),
            ["Ioc:Collector:BatchInterval"] = "00:00:00.100",
            ["Ioc:Storage:Provider"] = "InfluxDB",
            ["Ioc:Storage:InfluxDB:Url"] = influx.Url,
            ["Ioc:Storage:InfluxDB:Database"] = database,
            ["Ioc:Operational:Sqlite:Path"] = Path.Combine(folder, "ops.db"),
            ["Ioc:Alerting:Announcements:Enabled"] = "false",
            ["Ioc:Alerting:CommandToken"] = "faults-test-command-token",
        };
        var run = new FaultRun(output, influx, database, "collector SIGKILL, process restarted");
        var collector = await HostProcess.StartCollectorAsync("collector", settings);
        try
        {
            await using var device = await DevicePublisher.ConnectAsync(broker.Port);
            var publishing = device.PublishManyAsync(0, Count, i => Telemetry.EnvSensor(i));
            await Wait.UntilAsync(async () => await run.StoredAsync() >= Count / 4, TimeSpan.FromSeconds(30), "a quarter of the stream stored");
            collector.Kill();
            await publishing;
            run.FaultEnded();
            collector = await HostProcess.StartCollectorAsync("collector-again", settings, collector.HttpPort);

            var recovery = await run.WaitStoredAsync(Count, TimeSpan.FromSeconds(30));
            var figures = await run.ReportAsync(device.Acknowledged.Count, recovery, "recovery from the restart of the process");
            Assert.Equal(Count, figures.Stored);
            Assert.Equal(Count, figures.Distinct);
        }
        finally
        {
            await collector.DisposeAsync();
            MosquittoBroker.TryDelete(folder);
        }
    }
}
