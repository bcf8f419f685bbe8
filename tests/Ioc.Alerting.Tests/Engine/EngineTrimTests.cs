using Ioc.Alerting.Devices;
using Ioc.Alerting.Evaluation;
using Ioc.Alerting.Tests.Shared;
using Ioc.Contract;
using Ioc.Contract.Alerts;
using Ioc.Contract.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Ioc.Alerting.Tests.Engine;

/// <summary>The collector's heap trim asks the engine to give its per-device tables' slack back (issue 11).</summary>
public sealed class EngineTrimTests
{
    [Fact]
    public async Task TrimRequest_IsServedAtTheNextTick_OnTheEngineLoop_AndShrinksTheDeviceTables_KeepingEveryDevice()
    {
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules("""{"id":"device-offline","kind":"offline","severity":"major","interval":"30s","missed":3}"""));
        const int devices = 3_000; // the tables grew past them by doubling (4,049 slots on .NET 10)
        for (var i = 0; i < devices; i++)
        {
            await h.TelemetryAsync(new DeviceAddress("thanh-ha-an-son", "wifi-ap", $"TH-C03-AP{i:D4}"), """{"clients": 1}""");
        }

        var registry = h.Services.GetRequiredService<DeviceRegistry>();
        var offline = Assert.IsType<OfflineEvaluator>(Assert.Single(h.Engine.Evaluators));
        var participant = Assert.Single(h.Services.GetServices<IHeapTrimParticipant>());
        var before = (Registry: registry.Capacity, Offline: offline.Capacity);

        var trim = participant.TrimAsync(CancellationToken.None);
        var servedBeforeTick = trim.IsCompleted;
        await h.TickAsync();
        await trim.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(servedBeforeTick, "the tables are the engine loop's: a trim waits for its tick");
        Assert.True(before.Registry > devices * 13 / 10 && before.Offline > devices * 13 / 10, $"{before} slots before");
        Assert.True(registry.Capacity < devices * 115 / 100, $"registry: {registry.Capacity} slots after");
        Assert.True(offline.Capacity < devices * 115 / 100, $"offline evaluator: {offline.Capacity} slots after");
        Assert.Equal(devices, registry.Count);
        Assert.Equal(devices, offline.TrackedSubjects);

        // Still the same devices: silence after the trim is noticed for each of them (registry health, offline alerts).
        await h.AdvanceAsync(TimeSpan.FromMinutes(4), TimeSpan.FromSeconds(10));
        for (var i = 0; i < devices; i++)
        {
            Assert.Equal(HealthState.Silent, registry.Get(new DeviceAddress("thanh-ha-an-son", "wifi-ap", $"TH-C03-AP{i:D4}"))?.State);
        }

        Assert.NotEmpty(await h.OpenAsync("device-offline"));
    }
}
