using Ioc.IntegrationTests.Infrastructure;
using Ioc.Storage;
using Ioc.Storage.Operational;
using Microsoft.Extensions.DependencyInjection;

namespace Ioc.IntegrationTests.Collector;

/// <summary>Messages from devices without a credential in the registry are dead-lettered unknown_device, unless Ioc:Devices:AutoRegister.</summary>
public sealed class DeviceAdmissionTests
{
    private static string Topic(string device) => $"ioc/v1/dc-tinh/env-sensor/{device}/telemetry";

    private static string Payload() => $$$"""{"ts":{{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}},"metrics":{"temp_c":21.5}}""";

    [Fact]
    public async Task UnknownDevice_IsDeadLettered_RegisteredOneStored()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var collector = CollectorHost.ForSqlite(broker.Port, new Dictionary<string, string?>
        {
            ["Ioc:Devices:AutoRegister"] = "false",
            ["Ioc:Devices:RefreshInterval"] = "00:00:01",
        });
        await collector.StartAsync();
        await collector.Services.GetRequiredService<IOperationalStore>().DeviceCredentials
            .IssueAsync(new DeviceIdentity("ENV-KNOWN", "dc-tinh", "env-sensor"), DateTimeOffset.UtcNow, CancellationToken.None);
        var admission = collector.Services.GetRequiredService<Ioc.Collector.Pipeline.DeviceAdmission>();
        await Wait.UntilAsync(() => admission.Count == 1, TimeSpan.FromSeconds(5), "the registry reloaded with ENV-KNOWN");

        await using (var publisher = await Publisher.ConnectAsync(broker.Port))
        {
            await publisher.PublishAsync(Topic("ENV-STRANGER"), Payload());
            await publisher.PublishAsync(Topic("ENV-KNOWN"), Payload());
        }

        await Wait.UntilAsync(() => collector.Snapshot.Accepted == 1 && collector.Snapshot.Rejected == 1, TimeSpan.FromSeconds(10), "one accepted, one rejected");
        await Wait.UntilAsync(async () => (await collector.DeadLetters.ListAsync(10, "unknown_device", CancellationToken.None)).Count == 1, TimeSpan.FromSeconds(10), "the stranger dead-lettered");
        var letter = Assert.Single(await collector.DeadLetters.ListAsync(10, "unknown_device", CancellationToken.None));
        Assert.Equal(Topic("ENV-STRANGER"), letter.Topic);
        // Accepted is counted when the message is admitted; it is stored when its batch has been written.
        await Wait.UntilAsync(
            async () => await collector.Store.CountAsync(new PointQuery("env-sensor", DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1)), CancellationToken.None) >= 1,
            TimeSpan.FromSeconds(10),
            "the registered device's point stored");
        var stored = await collector.Store.CountAsync(new PointQuery("env-sensor", DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1)), CancellationToken.None);
        Assert.Equal(1, stored);
    }

    [Fact]
    public async Task UnknownDevice_WithAutoRegister_IsStored()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var collector = CollectorHost.ForSqlite(broker.Port);
        await collector.StartAsync();

        await using (var publisher = await Publisher.ConnectAsync(broker.Port))
        {
            await publisher.PublishAsync(Topic("ENV-STRANGER"), Payload());
        }

        await Wait.UntilAsync(() => collector.Snapshot.Accepted == 1, TimeSpan.FromSeconds(10), "the stranger's message accepted");
        Assert.Equal(0, collector.Snapshot.Rejected);
    }
}
