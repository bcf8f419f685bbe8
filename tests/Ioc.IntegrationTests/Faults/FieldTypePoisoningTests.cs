using Ioc.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Ioc.IntegrationTests.Faults;

/// <summary>
/// One device sending the wrong type for a metric must not make other devices' data unstorable. InfluxDB 1.6.7 fixes a
/// field's type with the first value it stores; the contract's field-type rule (<see cref="FieldSchema"/>) decides the
/// type by the metric's name, so a poisoning message is refused or stored under a kind-suffixed field, never first.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class FieldTypePoisoningTests(ITestOutputHelper output)
{
    private const int Legitimate = 100;

    [Fact]
    public async Task StringForADeclaredNumber_FirstOfAll_IsDeadLettered_AndEveryLaterNumberIsStored()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var influx = await InfluxDbServer.StartAsync();
        const string database = "poison_declared";
        await using var collector = CollectorHost.ForInflux(broker.Port, influx, database);
        await collector.StartAsync();
        await using var publisher = await Publisher.ConnectAsync(broker.Port);

        await publisher.PublishAsync("ioc/v1/dc-tinh/env-sensor/POISON-1/telemetry", $"{{\"ts\":{Telemetry.Base.ToUnixTimeMilliseconds()},\"metrics\":{{\"temp_c\":\"hot\"}}}}");
        await Wait.UntilAsync(() => collector.Snapshot.Received >= 1 && collector.Snapshot.QueueDepth == 0, TimeSpan.FromSeconds(10), "the poisoning message handled");
        await publisher.PublishManyAsync(Legitimate, i => Telemetry.EnvSensor(i + 1));

        var run = new FaultRun(output, influx, database, "string temp_c from one device first");
        var recovery = await run.WaitStoredAsync(Legitimate, TimeSpan.FromSeconds(20));
        await run.ReportAsync(Legitimate, recovery);
        Assert.Equal(Legitimate, await influx.CountAsync(database, "SELECT COUNT(temp_c) FROM \"env-sensor\""));
        var letters = await collector.DeadLetters.ListAsync(10, "bad_metric_type", CancellationToken.None);
        var letter = Assert.Single(letters);
        Assert.Contains("POISON-1", letter.Topic, StringComparison.Ordinal);
        Assert.Contains("must be a number", letter.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StringForAnUndeclaredMetric_First_IsStoredUnderItsKindSuffix_AndNumbersStillStore()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var influx = await InfluxDbServer.StartAsync();
        const string database = "poison_undeclared";
        await using var collector = CollectorHost.ForInflux(broker.Port, influx, database);
        await collector.StartAsync();
        await using var publisher = await Publisher.ConnectAsync(broker.Port);
        var at = Telemetry.Base.ToUnixTimeMilliseconds();

        await publisher.PublishAsync("ioc/v1/dc-tinh/env-sensor/ODD-1/telemetry", $"{{\"ts\":{at},\"metrics\":{{\"airflow\":\"high\",\"seq\":-1}}}}");
        await Wait.UntilAsync(async () => await influx.CountAsync(database, "SELECT COUNT(\"airflow:str\") FROM \"env-sensor\"") == 1, TimeSpan.FromSeconds(10), "the string stored under airflow:str");
        await publisher.PublishManyAsync(Legitimate, i => ($"ioc/v1/dc-tinh/env-sensor/ENV-{i % 10:D3}/telemetry", $"{{\"ts\":{at + 1 + i},\"metrics\":{{\"airflow\":{i}.5,\"seq\":{i}}}}}"));

        await Wait.UntilAsync(async () => await influx.CountAsync(database, "SELECT COUNT(airflow) FROM \"env-sensor\"") >= Legitimate, TimeSpan.FromSeconds(20), "every number stored");
        Assert.Equal(Legitimate, await influx.CountAsync(database, "SELECT COUNT(airflow) FROM \"env-sensor\""));
        Assert.Empty(await collector.DeadLetters.ListAsync(10, null, CancellationToken.None));
    }
}
