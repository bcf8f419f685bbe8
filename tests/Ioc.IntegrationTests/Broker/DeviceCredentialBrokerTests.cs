using Ioc.AllInOne.Broker;
using Ioc.IntegrationTests.Infrastructure;
using Ioc.Storage;
using Ioc.Storage.Operational;
using Ioc.Storage.Operational.Sqlite;
using Ioc.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MQTTnet;

namespace Ioc.IntegrationTests.Broker;

/// <summary>Credentials issued in the registry let a device in, at Mosquitto (through the export) and at the embedded broker; a revoked one does not.</summary>
public sealed class DeviceCredentialBrokerTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ioc-devcred-").FullName;
    private SqliteOperationalStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = new SqliteOperationalStore(new SqliteDatabase(new SqliteOptions { Path = Path.Combine(_folder, "ioc.db") }));
        await _store.MigrateAsync(CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    private async Task<(int Code, string Output)> DevicesAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await DeviceProvisioning.RunAsync(["devices", .. args], _store.DeviceCredentials, TimeProvider.System, output, error, CancellationToken.None);
        return (code, output + error.ToString());
    }

    private static string SecretOf(string output) => output.Split('\n').Single(l => l.StartsWith("password: ", StringComparison.Ordinal))["password: ".Length..].Trim();

    [Fact]
    public async Task Mosquitto_ExportedRegistry_AcceptsIssuedRefusesRevokedAndWrong()
    {
        var (issued, live) = await DevicesAsync("issue", "--site", "dc-tinh", "--type", "env-sensor", "--id", "ENV-R1");
        var (_, gone) = await DevicesAsync("issue", "--site", "dc-tinh", "--type", "env-sensor", "--id", "ENV-R2");
        var (revoked, _) = await DevicesAsync("revoke", "--id", "ENV-R2");
        var (exported, exportOutput) = await DevicesAsync("export-mosquitto", "--out", Path.Combine(_folder, "devices"));
        Assert.Equal((0, 0, 0), (issued, revoked, exported));
        Assert.Contains("1 device line", exportOutput, StringComparison.Ordinal);

        await using var broker = await MosquittoBroker.StartShippedAsync(
            new Dictionary<string, string> { ["ioc-dashboard"] = "dashboard-pw" },
            await File.ReadAllLinesAsync(Path.Combine(_folder, "devices", "passwd")));
        await using var dashboard = await MqttProbe.ConnectAcceptedAsync(broker.Port, "ioc-dashboard", "dashboard-pw");
        await dashboard.SubscribeAsync("ioc/v1/#");

        await using var device = await MqttProbe.ConnectAcceptedAsync(broker.Port, "ENV-R1", SecretOf(live));
        await device.PublishAsync("ioc/v1/dc-tinh/env-sensor/ENV-R1/telemetry", "registered");
        await Wait.UntilAsync(() => dashboard.HasReceived("registered"), TimeSpan.FromSeconds(5), "the registered device's message delivered");

        var (revokedProbe, revokedResult) = await MqttProbe.ConnectAsync(broker.Port, "ENV-R2", SecretOf(gone));
        await using (revokedProbe)
        {
            Assert.NotEqual(MqttClientConnectResultCode.Success, revokedResult);
        }

        var (wrongProbe, wrongResult) = await MqttProbe.ConnectAsync(broker.Port, "ENV-R1", SecretOf(gone));
        await using (wrongProbe)
        {
            Assert.NotEqual(MqttClientConnectResultCode.Success, wrongResult);
        }
    }

    [Fact]
    public async Task EmbeddedBroker_Registry_AcceptsIssuedAndRefusesOnceRevoked()
    {
        var (_, output) = await DevicesAsync("issue", "--site", "dc-tinh", "--type", "env-sensor", "--id", "ENV-E1");
        var secret = SecretOf(output);
        var port = FreePort.Next();
        var broker = new EmbeddedBrokerService(
            Options.Create(new EmbeddedBrokerOptions { Port = port }),
            NullLogger<EmbeddedBrokerService>.Instance,
            [new RegistryDeviceAuthenticator(_store.DeviceCredentials, NullLogger<RegistryDeviceAuthenticator>.Instance)]);
        await broker.StartAsync(CancellationToken.None);
        try
        {
            await using (var device = await MqttProbe.ConnectAcceptedAsync(port, "ENV-E1", secret))
            {
                Assert.Equal(MqttClientPublishReasonCode.NoMatchingSubscribers, await device.PublishAsync("ioc/v1/dc-tinh/env-sensor/ENV-E1/telemetry", "{}"));
            }

            var (revoked, _) = await DevicesAsync("revoke", "--id", "ENV-E1");
            Assert.Equal(0, revoked);

            var (probe, result) = await MqttProbe.ConnectAsync(port, "ENV-E1", secret);
            await using var _ = probe;
            Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, result);
        }
        finally
        {
            await broker.StopAsync(CancellationToken.None);
            broker.Dispose();
        }
    }

    [Fact]
    public async Task Issue_ServiceAccountName_IsRefused()
    {
        var (code, output) = await DevicesAsync("issue", "--site", "ioc-core", "--type", "x", "--id", "ioc-engine");

        Assert.Equal(1, code);
        Assert.Contains("service account", output, StringComparison.Ordinal);
    }
}
