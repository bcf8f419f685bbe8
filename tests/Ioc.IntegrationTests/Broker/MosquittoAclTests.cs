using Ioc.IntegrationTests.Infrastructure;
using MQTTnet;
using MQTTnet.Protocol;

namespace Ioc.IntegrationTests.Broker;

/// <summary>
/// The shipped Mosquitto configuration (deploy/mosquitto/mosquitto.conf and its ACL) on a real Mosquitto: each client
/// is held to its own topics. A refused publish is dropped by Mosquitto, so each test proves non-delivery by a message
/// published after it that does arrive.
/// </summary>
public sealed class MosquittoAclTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> Users = new(StringComparer.Ordinal)
    {
        ["ioc-collector"] = "collector-pw",
        ["ioc-engine"] = "engine-pw",
        ["ioc-dashboard"] = "dashboard-pw",
        ["ioc-simulators"] = "simulators-pw",
        ["ENV-A"] = "device-a-pw",
        ["ENV-B"] = "device-b-pw",
    };

    private MosquittoBroker _broker = null!;
    private MqttProbe _dashboard = null!;

    public async Task InitializeAsync()
    {
        _broker = await MosquittoBroker.StartShippedAsync(Users);
        _dashboard = await Connect("ioc-dashboard");
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await _dashboard.SubscribeAsync("ioc/v1/#"));
    }

    public async Task DisposeAsync()
    {
        await _dashboard.DisposeAsync();
        await _broker.DisposeAsync();
    }

    private Task<MqttProbe> Connect(string username, MqttApplicationMessage? will = null) =>
        MqttProbe.ConnectAcceptedAsync(_broker.Port, username, Users[username], will);

    /// <summary>Publishes a marker as the engine and waits for the dashboard to get it: what was refused before it never came.</summary>
    private async Task FlushAsync()
    {
        await using var engine = await Connect("ioc-engine");
        var marker = "marker-" + Guid.NewGuid().ToString("N");
        await engine.PublishAsync("ioc/v1/_system/alerts/events", marker);
        await Wait.UntilAsync(() => _dashboard.HasReceived(marker), TimeSpan.FromSeconds(5), "the engine's marker delivered");
    }

    [Fact]
    public async Task Connect_Anonymous_IsRefused()
    {
        var (probe, result) = await MqttProbe.ConnectAsync(_broker.Port, username: null, password: null);
        await using var _ = probe;

        Assert.NotEqual(MqttClientConnectResultCode.Success, result);
        Assert.False(probe.IsConnected);
    }

    [Theory]
    [InlineData("ENV-A")]
    [InlineData("ioc-engine")]
    [InlineData("ENV-UNKNOWN")]
    public async Task Connect_WrongPassword_IsRefused(string username)
    {
        var (probe, result) = await MqttProbe.ConnectAsync(_broker.Port, username, "wrong-password");
        await using var _ = probe;

        Assert.NotEqual(MqttClientConnectResultCode.Success, result);
        Assert.False(probe.IsConnected);
    }

    [Fact]
    public async Task Publish_DeviceIntoAnotherDevicesTopic_IsNotDelivered()
    {
        await using var deviceA = await Connect("ENV-A");

        await deviceA.PublishAsync("ioc/v1/dc-tinh/env-sensor/ENV-B/status", "forged-offline");
        await deviceA.PublishAsync("ioc/v1/dc-tinh/env-sensor/ENV-A/telemetry", "own");

        await Wait.UntilAsync(() => _dashboard.HasReceived("own"), TimeSpan.FromSeconds(5), "device A's own message delivered");
        await FlushAsync();
        Assert.False(_dashboard.HasReceived("forged-offline"));
    }

    [Fact]
    public async Task Publish_SystemTopic_OnlyTheEngineAccount()
    {
        await using var device = await Connect("ENV-A");
        await using var collector = await Connect("ioc-collector");
        await using var simulators = await Connect("ioc-simulators");

        await device.PublishAsync("ioc/v1/_system/alerts/events", "device-alert");
        // A device id as a level of the reserved tree still does not match the device pattern's reach.
        await device.PublishAsync("ioc/v1/_system/health/ENV-A/ENV-A/x", "device-health");
        await collector.PublishAsync("ioc/v1/_system/alerts/events", "collector-alert");
        await simulators.PublishAsync("ioc/v1/_system/health/dc-tinh/env-sensor/ENV-B", "simulators-health");
        await _dashboard.PublishAsync("ioc/v1/_system/alerts/events", "dashboard-alert");

        await FlushAsync(); // the engine's own write to _system arrives
        Assert.DoesNotContain(_dashboard.Received, m => m.Payload is "device-alert" or "device-health" or "collector-alert" or "simulators-health" or "dashboard-alert");
    }

    [Fact]
    public async Task Publish_CollectorHealth_OnlyTheCollectorAccount()
    {
        await using var device = await Connect("ENV-A");
        await using var simulators = await Connect("ioc-simulators");
        await using var collector = await Connect("ioc-collector");

        await device.PublishAsync("ioc/v1/ioc-core/collector/ENV-A/telemetry", "device-forged");
        await simulators.PublishAsync("ioc/v1/ioc-core/collector/c1/telemetry", "simulators-forged");
        await collector.PublishAsync("ioc/v1/dc-tinh/env-sensor/ENV-B/status", "collector-forged");
        await collector.PublishAsync("ioc/v1/ioc-core/collector/c1/telemetry", "collector-health");

        await Wait.UntilAsync(() => _dashboard.HasReceived("collector-health"), TimeSpan.FromSeconds(5), "the collector's health delivered");
        await FlushAsync();
        Assert.DoesNotContain(_dashboard.Received, m => m.Payload is "device-forged" or "simulators-forged" or "collector-forged");
    }

    /// <summary>The evaluator's ingress (what collectors received as syslog or SNMP): written by collectors only, read by the engine.</summary>
    [Fact]
    public async Task Publish_EvaluatorIngress_OnlyTheCollectorAccount_ReadByTheEngine()
    {
        await using var engine = await Connect("ioc-engine");
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await engine.SubscribeAsync("ioc/ingress/v1/#"));
        await using var device = await Connect("ENV-A");
        await using var simulators = await Connect("ioc-simulators");
        await using var collector = await Connect("ioc-collector");

        await device.PublishAsync("ioc/ingress/v1/dc-tinh/env-sensor/ENV-A/event", "device-forged");
        await simulators.PublishAsync("ioc/ingress/v1/dc-tinh/firewall/FW-EDGE-01/event", "simulators-forged");
        await _dashboard.PublishAsync("ioc/ingress/v1/dc-tinh/firewall/FW-EDGE-01/event", "dashboard-forged");
        await collector.PublishAsync("ioc/ingress/v1/dc-tinh/firewall/FW-EDGE-01/event", "collector-forwarded");

        await Wait.UntilAsync(() => engine.HasReceived("collector-forwarded"), TimeSpan.FromSeconds(5), "the collector's forwarded event delivered to the engine");
        await FlushAsync();
        Assert.Equal(["collector-forwarded"], engine.Received.Select(m => m.Payload).Distinct());
        Assert.DoesNotContain(_dashboard.Received, m => m.Topic.StartsWith("ioc/ingress/", StringComparison.Ordinal));
    }

    /// <summary>docker-compose.yml's health check of the mosquitto service, as it runs there.</summary>
    [Fact]
    public async Task HealthCheck_DashboardAccount_ReadsBrokerUptime()
    {
        using var check = System.Diagnostics.Process.Start("/usr/bin/mosquitto_sub", [
            "-h", "127.0.0.1", "-p", _broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-u", "ioc-dashboard", "-P", Users["ioc-dashboard"], "-t", "$SYS/broker/uptime", "-C", "1", "-W", "3"])!;
        await check.WaitForExitAsync();

        Assert.Equal(0, check.ExitCode);
    }

    [Fact]
    public async Task Publish_SimulatorsAccount_WritesAnyDeviceTopic()
    {
        await using var simulators = await Connect("ioc-simulators");

        await simulators.PublishAsync("ioc/v1/dc-tinh/env-sensor/ENV-B/telemetry", "simulated");

        await Wait.UntilAsync(() => _dashboard.HasReceived("simulated"), TimeSpan.FromSeconds(5), "the simulated device's message delivered");
    }

    [Fact]
    public async Task Subscribe_Device_ReadsOnlyItsOwnCommands()
    {
        await using var deviceA = await Connect("ENV-A");
        await deviceA.SubscribeAsync("ioc/v1/#");
        await deviceA.SubscribeAsync("ioc/v1/+/+/ENV-A/commands/#");
        await using var deviceB = await Connect("ENV-B");
        await using var simulators = await Connect("ioc-simulators");

        await deviceB.PublishAsync("ioc/v1/dc-tinh/env-sensor/ENV-B/telemetry", "b-telemetry");
        await simulators.PublishAsync("ioc/v1/dc-tinh/env-sensor/ENV-A/commands/reboot", "a-command");

        await Wait.UntilAsync(() => deviceA.HasReceived("a-command"), TimeSpan.FromSeconds(5), "device A's own command delivered");
        await Wait.UntilAsync(() => _dashboard.HasReceived("b-telemetry"), TimeSpan.FromSeconds(5), "device B's message reached the dashboard");
        await FlushAsync();
        Assert.Equal(["a-command"], deviceA.Received.Select(m => m.Payload).Distinct());
    }

    [Fact]
    public async Task Will_OnAnotherDevicesStatus_IsNotDelivered()
    {
        var forgedWill = new MqttApplicationMessageBuilder().WithTopic("ioc/v1/dc-tinh/env-sensor/ENV-B/status").WithPayload("forged-will").Build();
        var (forger, result) = await MqttProbe.ConnectAsync(_broker.Port, "ENV-A", Users["ENV-A"], will: forgedWill);
        var ownWill = new MqttApplicationMessageBuilder().WithTopic("ioc/v1/dc-tinh/env-sensor/ENV-B/status").WithPayload("own-will").Build();
        var honest = await Connect("ENV-B", ownWill);

        forger.Drop();
        honest.Drop();

        await Wait.UntilAsync(() => _dashboard.HasReceived("own-will"), TimeSpan.FromSeconds(10), "ENV-B's own will delivered");
        await FlushAsync();
        Assert.False(_dashboard.HasReceived("forged-will"), $"the forged will was delivered (its CONNECT was answered {result})");
    }
}
