using System.Net.Sockets;
using Ioc.AllInOne.Broker;
using Ioc.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;

namespace Ioc.IntegrationTests.Broker;

/// <summary>The all-in-one's embedded broker enforces who may connect and which topics each client may use.</summary>
public sealed class EmbeddedBrokerSecurityTests : IAsyncLifetime
{
    private const string DevicePassword = "demo-device-password-0123";
    private const string RegisteredDevice = "ENV-REG";
    private const string RegisteredPassword = "registered-secret";
    private readonly int _port = FreePort.Next();
    private EmbeddedBrokerService _broker = null!;

    public async Task InitializeAsync() => _broker = await StartAsync(new EmbeddedBrokerOptions
    {
        Port = _port,
        DevicePassword = DevicePassword,
        Accounts = new(StringComparer.Ordinal)
        {
            ["ioc-engine"] = new BrokerAccount { Password = "engine-pw", Role = BrokerRole.Engine },
            ["ioc-collector"] = new BrokerAccount { Password = "collector-pw", Role = BrokerRole.Collector },
            ["ioc-dashboard"] = new BrokerAccount { Password = "dashboard-pw", Role = BrokerRole.Dashboard },
        },
    });

    public async Task DisposeAsync()
    {
        await _broker.StopAsync(CancellationToken.None);
        _broker.Dispose();
    }

    private static async Task<EmbeddedBrokerService> StartAsync(EmbeddedBrokerOptions options)
    {
        var broker = new EmbeddedBrokerService(Options.Create(options), NullLogger<EmbeddedBrokerService>.Instance, [new TestDeviceRegistry()]);
        await broker.StartAsync(CancellationToken.None);
        return broker;
    }

    [Fact]
    public async Task Connect_Anonymous_IsRefused()
    {
        var (probe, result) = await MqttProbe.ConnectAsync(_port, username: null, password: null);
        await using var _ = probe;

        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, result);
    }

    [Theory]
    [InlineData("ioc-engine", "wrong")]
    [InlineData("ENV-001", "wrong")]
    [InlineData(RegisteredDevice, "wrong")]
    public async Task Connect_WrongPassword_IsRefused(string username, string password)
    {
        var (probe, result) = await MqttProbe.ConnectAsync(_port, username, password);
        await using var _ = probe;

        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, result);
    }

    [Fact]
    public async Task Connect_RegisteredDeviceCredential_IsAccepted()
    {
        await using var device = await MqttProbe.ConnectAcceptedAsync(_port, RegisteredDevice, RegisteredPassword);

        Assert.Equal(MqttClientPublishReasonCode.NoMatchingSubscribers, await device.PublishAsync($"ioc/v1/dc-tinh/env-sensor/{RegisteredDevice}/telemetry", "{}"));
    }

    [Fact]
    public async Task Publish_DeviceIntoAnotherDevicesTopic_IsRefusedAndNotDelivered()
    {
        await using var dashboard = await MqttProbe.ConnectAcceptedAsync(_port, "ioc-dashboard", "dashboard-pw");
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await dashboard.SubscribeAsync("ioc/v1/#"));
        await using var deviceA = await MqttProbe.ConnectAcceptedAsync(_port, "ENV-A", DevicePassword);

        var forged = await deviceA.PublishAsync("ioc/v1/dc-tinh/env-sensor/ENV-B/status", "forged-offline");
        var own = await deviceA.PublishAsync("ioc/v1/dc-tinh/env-sensor/ENV-A/telemetry", "own");

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, forged);
        Assert.Equal(MqttClientPublishReasonCode.Success, own);
        await Wait.UntilAsync(() => dashboard.HasReceived("own"), TimeSpan.FromSeconds(5), "device A's own message delivered");
        Assert.False(dashboard.HasReceived("forged-offline"));
    }

    [Fact]
    public async Task Publish_SystemTopic_OnlyTheEngineAccount()
    {
        await using var dashboard = await MqttProbe.ConnectAcceptedAsync(_port, "ioc-dashboard", "dashboard-pw");
        await dashboard.SubscribeAsync("ioc/v1/#");
        await using var device = await MqttProbe.ConnectAcceptedAsync(_port, "ENV-A", DevicePassword);
        await using var collector = await MqttProbe.ConnectAcceptedAsync(_port, "ioc-collector", "collector-pw");
        await using var engine = await MqttProbe.ConnectAcceptedAsync(_port, "ioc-engine", "engine-pw");

        // A device named like a site or type still cannot reach _system: the tree is reserved, whatever the levels.
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await device.PublishAsync("ioc/v1/_system/alerts/events", "device-alert"));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await device.PublishAsync("ioc/v1/_system/health/ENV-A/x/ENV-A", "device-health"));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await collector.PublishAsync("ioc/v1/_system/alerts/events", "collector-alert"));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await dashboard.PublishAsync("ioc/v1/_system/alerts/events", "dashboard-alert"));
        Assert.Equal(MqttClientPublishReasonCode.Success, await engine.PublishAsync("ioc/v1/_system/alerts/events", "engine-alert"));

        await Wait.UntilAsync(() => dashboard.HasReceived("engine-alert"), TimeSpan.FromSeconds(5), "the engine's announcement delivered");
        Assert.DoesNotContain(dashboard.Received, m => m.Payload is "device-alert" or "device-health" or "collector-alert" or "dashboard-alert");
    }

    [Fact]
    public async Task Publish_CollectorHealth_OnlyTheCollectorAccount()
    {
        await using var device = await MqttProbe.ConnectAcceptedAsync(_port, "c1", DevicePassword);
        await using var collector = await MqttProbe.ConnectAcceptedAsync(_port, "ioc-collector", "collector-pw");

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await device.PublishAsync("ioc/v1/ioc-core/collector/c1/telemetry", "forged"));
        Assert.Equal(MqttClientPublishReasonCode.NoMatchingSubscribers, await collector.PublishAsync("ioc/v1/ioc-core/collector/c1/telemetry", "{}"));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await collector.PublishAsync("ioc/v1/dc-tinh/env-sensor/ENV-A/telemetry", "forged"));
    }

    [Fact]
    public async Task Publish_EvaluatorIngress_OnlyTheCollectorAccount_ReadOnlyByTheEngine()
    {
        await using var engine = await MqttProbe.ConnectAcceptedAsync(_port, "ioc-engine", "engine-pw");
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await engine.SubscribeAsync("ioc/ingress/v1/#"));
        await using var dashboard = await MqttProbe.ConnectAcceptedAsync(_port, "ioc-dashboard", "dashboard-pw");
        Assert.NotEqual(MqttClientSubscribeResultCode.GrantedQoS1, await dashboard.SubscribeAsync("ioc/ingress/v1/#"));
        await using var device = await MqttProbe.ConnectAcceptedAsync(_port, "FW-EDGE-01", DevicePassword);
        await using var collector = await MqttProbe.ConnectAcceptedAsync(_port, "ioc-collector", "collector-pw");

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await device.PublishAsync("ioc/ingress/v1/dc-tinh/firewall/FW-EDGE-01/event", "forged"));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await engine.PublishAsync("ioc/ingress/v1/dc-tinh/firewall/FW-EDGE-01/event", "engine"));
        Assert.Equal(MqttClientPublishReasonCode.Success, await collector.PublishAsync("ioc/ingress/v1/dc-tinh/firewall/FW-EDGE-01/event", "forwarded"));

        await Wait.UntilAsync(() => engine.HasReceived("forwarded"), TimeSpan.FromSeconds(5), "the collector's forwarded event delivered to the engine");
        Assert.Equal(["forwarded"], engine.Received.Select(m => m.Payload));
    }

    [Fact]
    public async Task Will_OnAnotherDevicesStatus_IsNotDelivered()
    {
        await using var dashboard = await MqttProbe.ConnectAcceptedAsync(_port, "ioc-dashboard", "dashboard-pw");
        await dashboard.SubscribeAsync("ioc/v1/#");
        var forgedWill = new MqttApplicationMessageBuilder().WithTopic("ioc/v1/dc-tinh/env-sensor/ENV-B/status").WithPayload("forged-will").Build();
        var ownWill = new MqttApplicationMessageBuilder().WithTopic("ioc/v1/dc-tinh/env-sensor/ENV-C/status").WithPayload("own-will").Build();
        var forger = await MqttProbe.ConnectAcceptedAsync(_port, "ENV-A", DevicePassword, forgedWill);
        var honest = await MqttProbe.ConnectAcceptedAsync(_port, "ENV-C", DevicePassword, ownWill);

        forger.Drop();
        await Wait.UntilAsync(() => _broker.Server!.GetClientsAsync().Result.Count == 2, TimeSpan.FromSeconds(5), "the forger's connection gone");
        honest.Drop();

        await Wait.UntilAsync(() => dashboard.HasReceived("own-will"), TimeSpan.FromSeconds(5), "ENV-C's own will delivered");
        Assert.False(dashboard.HasReceived("forged-will"));
    }

    [Theory]
    [InlineData("ioc/v1/#")]
    [InlineData("ioc/v1/+/+/ENV-B/commands/#")]
    [InlineData("ioc/v1/_system/#")]
    public async Task Subscribe_DeviceBeyondItsOwnCommands_IsRefused(string filter)
    {
        await using var device = await MqttProbe.ConnectAcceptedAsync(_port, "ENV-A", DevicePassword);

        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, await device.SubscribeAsync(filter));
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await device.SubscribeAsync("ioc/v1/+/+/ENV-A/commands/#"));
    }

    [Fact]
    public async Task Listen_BoundToIPv4Loopback_IsNotReachableOnIPv6Loopback()
    {
        using var ipv6 = new TcpClient(AddressFamily.InterNetworkV6);

        var refused = await Assert.ThrowsAsync<SocketException>(() => ipv6.ConnectAsync(System.Net.IPAddress.IPv6Loopback, _port));

        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        using var ipv4 = new TcpClient(AddressFamily.InterNetwork);
        await ipv4.ConnectAsync(System.Net.IPAddress.Loopback, _port);
    }

    [Fact]
    public async Task AllowAnonymous_DevelopmentSwitch_AcceptsClientsWithoutCredentials()
    {
        var port = FreePort.Next();
        var broker = await StartAsync(new EmbeddedBrokerOptions { Port = port, AllowAnonymous = true });
        try
        {
            var (probe, result) = await MqttProbe.ConnectAsync(port, username: null, password: null);
            await using var _ = probe;

            Assert.Equal(MqttClientConnectResultCode.Success, result);
        }
        finally
        {
            await broker.StopAsync(CancellationToken.None);
            broker.Dispose();
        }
    }

    private sealed class TestDeviceRegistry : IBrokerDeviceAuthenticator
    {
        public ValueTask<bool> VerifyAsync(string deviceId, string password, CancellationToken cancellationToken) =>
            ValueTask.FromResult(deviceId == RegisteredDevice && password == RegisteredPassword);
    }
}
