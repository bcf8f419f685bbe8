using Ioc.IntegrationTests.Infrastructure;

namespace Ioc.IntegrationTests.Collector;

/// <summary>The collector against a Mosquitto that refuses anonymous clients.</summary>
public sealed class BrokerAuthenticationTests
{
    [Fact]
    public async Task RightCredentials_ConnectAndStore()
    {
        await using var broker = await MosquittoBroker.StartAsync("collector", "p@ss word");
        await using var collector = CollectorHost.ForSqlite(broker.Port, new Dictionary<string, string?>
        {
            ["Ioc:Mqtt:Username"] = "collector",
            ["Ioc:Mqtt:Password"] = "p@ss word",
        });

        await collector.StartAsync();

        Assert.Equal("Healthy", collector.Snapshot.Status);
    }

    [Fact]
    public async Task WrongCredentials_StayDisconnectedAndUnhealthy()
    {
        await using var broker = await MosquittoBroker.StartAsync("collector", "right");
        await using var collector = CollectorHost.ForSqlite(broker.Port, new Dictionary<string, string?>
        {
            ["Ioc:Mqtt:Username"] = "collector",
            ["Ioc:Mqtt:Password"] = "wrong",
        });

        await Assert.ThrowsAsync<TimeoutException>(collector.StartAsync);

        Assert.Equal("Unhealthy", collector.Snapshot.Status);
        Assert.Equal(0, collector.Snapshot.MqttConnected);
    }
}
