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

        collector.ConnectTimeoutSeconds = 3;
        await Assert.ThrowsAsync<TimeoutException>(collector.StartAsync);

        Assert.Equal("Unhealthy", collector.Snapshot.Status);
        Assert.Equal(0, collector.Snapshot.MqttConnected);
    }
}

/// <summary>The collector over TLS to a Mosquitto that only speaks TLS.</summary>
public sealed class BrokerTlsTests
{
    [Fact]
    public async Task Tls_WithUntrustedCertificateAllowed_Connects()
    {
        await using var broker = await MosquittoBroker.StartTlsAsync();
        await using var collector = CollectorHost.ForSqlite(broker.Port, new Dictionary<string, string?>
        {
            ["Ioc:Mqtt:UseTls"] = "true",
            ["Ioc:Mqtt:AllowUntrustedCertificates"] = "true",
        });

        await collector.StartAsync();

        Assert.Equal("Healthy", collector.Snapshot.Status);
    }

    [Fact]
    public async Task Tls_WithSelfSignedCertificateNotTrusted_IsRefused()
    {
        await using var broker = await MosquittoBroker.StartTlsAsync();
        await using var collector = CollectorHost.ForSqlite(broker.Port, new Dictionary<string, string?> { ["Ioc:Mqtt:UseTls"] = "true" });

        collector.ConnectTimeoutSeconds = 3;
        await Assert.ThrowsAsync<TimeoutException>(collector.StartAsync);

        Assert.Equal(0, collector.Snapshot.MqttConnected);
    }

    [Fact]
    public async Task PlainTcp_ToATlsListener_IsRefused()
    {
        await using var broker = await MosquittoBroker.StartTlsAsync();
        await using var collector = CollectorHost.ForSqlite(broker.Port);

        collector.ConnectTimeoutSeconds = 3;
        await Assert.ThrowsAsync<TimeoutException>(collector.StartAsync);

        Assert.Equal(0, collector.Snapshot.MqttConnected);
    }
}
