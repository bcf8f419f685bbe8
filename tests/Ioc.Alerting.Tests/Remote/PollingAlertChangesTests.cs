using Ioc.Alerting.Remote;
using Ioc.Alerting.Service;
using Ioc.Alerting.Tests.Shared;
using Ioc.Contract.Alerts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ioc.Alerting.Tests.Remote;

public sealed class PollingAlertChangesTests
{
    private const string UpsRule = """{"id":"ups-on-battery","kind":"state","severity":"major","scope":{"deviceTypes":["ups"]},"metric":"on_battery","equals":true}""";

    [Fact]
    public async Task PollAsync_EngineFiresAcknowledgesResolves_EachChangeIsAnnouncedOnceWithItsActor()
    {
        // Arrange: the poller reads the store the engine writes, as a dashboard in another process would.
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(UpsRule));
        var poller = new PollingAlertChanges(h.Services.GetRequiredService<IAlertQueries>(), h.Time, NullLogger<PollingAlertChanges>.Instance);
        var seen = new List<AlertChange>();
        using var subscription = poller.Subscribe(seen.Add);
        await poller.PollAsync(CancellationToken.None);

        // Act
        await h.TelemetryAsync(TestDevices.DcUps, """{"on_battery": true}""");
        await poller.PollAsync(CancellationToken.None);
        var id = Assert.Single(await h.OpenAsync()).Id;
        h.Time.Advance(TimeSpan.FromSeconds(5));
        await h.Service.AcknowledgeAsync(id, "lan.nguyen", null, CancellationToken.None);
        await poller.PollAsync(CancellationToken.None);
        await poller.PollAsync(CancellationToken.None);
        h.Time.Advance(TimeSpan.FromSeconds(5));
        await h.Service.ResolveAsync(id, "minh.tran", null, CancellationToken.None);
        await poller.PollAsync(CancellationToken.None);

        // Assert
        Assert.Equal(
            [(AlertChangeKind.Fired, "engine"), (AlertChangeKind.Acknowledged, "lan.nguyen"), (AlertChangeKind.Resolved, "minh.tran")],
            seen.Select(c => (c.Kind, c.Actor)).ToList());
        Assert.All(seen, c => Assert.Equal(id, c.Alert.Id));
        Assert.Equal(AlertState.Resolved, seen[^1].Alert.State);
    }

    [Fact]
    public async Task PollAsync_FirstRead_AnnouncesNothingAboutWhatWasAlreadyThere()
    {
        // Arrange
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(UpsRule));
        await h.TelemetryAsync(TestDevices.DcUps, """{"on_battery": true}""");
        var poller = new PollingAlertChanges(h.Services.GetRequiredService<IAlertQueries>(), h.Time, NullLogger<PollingAlertChanges>.Instance);
        var seen = new List<AlertChange>();
        using var subscription = poller.Subscribe(seen.Add);

        // Act
        await poller.PollAsync(CancellationToken.None);

        // Assert
        Assert.Single(await h.OpenAsync());
        Assert.Empty(seen);
    }
}
