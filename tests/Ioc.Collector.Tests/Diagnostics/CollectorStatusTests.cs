using Ioc.Collector.Configuration;
using Ioc.Collector.Diagnostics;
using Ioc.Collector.Pipeline;
using Ioc.Collector.Spool;
using Ioc.Collector.Tests.Shared;
using Microsoft.Extensions.Options;

namespace Ioc.Collector.Tests.Diagnostics;

/// <summary>What /healthz says about the broker connections, from the start on.</summary>
public sealed class CollectorStatusTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ioc-status-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private CollectorStatus Status(int connected, bool firstConnectPending, params Ioc.Contract.IDegradedReasons[] others)
    {
        var options = new CollectorOptions { SpoolPath = Path.Combine(_folder, "spool") };
        var wrapped = Options.Create(options);
        return new CollectorStatus(new CollectorMetrics(), () => (connected, 2), new IngestQueue(wrapped), new DiskSpool(wrapped), new StoreAvailability(), new TestTelemetryStore(), options.Health, firstConnectPending: () => firstConnectPending, others: others);
    }

    [Fact]
    public void Snapshot_NoConnectionWhileTheFirstAttemptIsUnderWay_IsStartingNotFailing()
    {
        var snapshot = Status(connected: 0, firstConnectPending: true).Snapshot();

        Assert.Equal(CollectorStatus.Starting, snapshot.Status);
        Assert.Equal(0, snapshot.Health);
        Assert.Equal(["starting: first connection to the broker under way (0 of 2 up)"], snapshot.Reasons);
    }

    [Fact]
    public void Snapshot_NoConnectionOnceTheFirstAttemptFailedOrTimedOut_IsUnhealthy()
    {
        var snapshot = Status(connected: 0, firstConnectPending: false).Snapshot();

        Assert.Equal(CollectorStatus.Unhealthy, snapshot.Status);
        Assert.Equal(2, snapshot.Health);
        Assert.Equal(["failing: no broker connection up (0 of 2)"], snapshot.Reasons);
    }

    [Fact]
    public void Snapshot_ConnectionsUp_IsHealthyWhateverTheStart()
    {
        var snapshot = Status(connected: 2, firstConnectPending: true).Snapshot();

        Assert.Equal(CollectorStatus.Healthy, snapshot.Status);
        Assert.Empty(snapshot.Reasons);
    }

    [Fact]
    public void Snapshot_AnotherPartOfTheProcessDegraded_IsDegradedWithItsReason()
    {
        var snapshot = Status(connected: 2, firstConnectPending: false, new Reasons("1 alert rule(s) not running, refused by the rule loader: rule 'x': …")).Snapshot();

        Assert.Equal(CollectorStatus.Degraded, snapshot.Status);
        Assert.Equal(1, snapshot.Health);
        Assert.Equal(["degraded: 1 alert rule(s) not running, refused by the rule loader: rule 'x': …"], snapshot.Reasons);
    }

    private sealed class Reasons(params string[] reasons) : Ioc.Contract.IDegradedReasons
    {
        public IReadOnlyList<string> DegradedReasons() => reasons;
    }
}
