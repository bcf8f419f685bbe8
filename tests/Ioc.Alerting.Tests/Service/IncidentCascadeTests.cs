using Ioc.Alerting.Tests.Shared;
using Ioc.Contract.Alerts;

namespace Ioc.Alerting.Tests.Service;

/// <summary>A district-down alert is one incident: commands on it reach the device alerts under it, and its count follows them.</summary>
public sealed class IncidentCascadeTests
{
    private const string OfflineRule = """{"id":"device-offline","kind":"offline","severity":"major","interval":"30s","missed":3}""";
    private const string DistrictRule = """{"id":"district-down","kind":"composite","severity":"critical","of":"device-offline","level":"district","ratio":0.6,"clearRatio":0.3,"minDevices":3,"summary":"District {district}: {value} devices offline"}""";

    [Fact]
    public async Task Acknowledge_GroupAlert_AcknowledgesEveryFiringChildInOneCommand()
    {
        // Arrange
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(OfflineRule, DistrictRule));
        var district = await FibreCutAsync(h, silent: 8);
        var before = h.Changes.Count;

        // Act
        var acknowledged = await h.Service.AcknowledgeAsync(district.Id, "lan.nguyen", "fibre crew sent", CancellationToken.None);

        // Assert
        Assert.Equal(AlertState.Acknowledged, acknowledged.State);
        var children = (await h.OpenAsync("device-offline")).ToList();
        Assert.Equal(8, children.Count);
        Assert.All(children, c => Assert.Equal((AlertState.Acknowledged, "lan.nguyen"), (c.State, c.AcknowledgedBy)));
        var audit = (await h.Service.GetAsync(children[0].Id, CancellationToken.None))!.Audit;
        var line = Assert.Single(audit, a => a.Action == "acknowledged");
        Assert.Equal("lan.nguyen", line.Actor);
        Assert.Equal($"with its group alert #{district.Id}: fibre crew sent", line.Detail);
        Assert.Equal(9, h.Changes.Skip(before).Count(c => c.Kind == AlertChangeKind.Acknowledged));
    }

    [Fact]
    public async Task Unacknowledge_GroupAlert_UnacknowledgesEveryAcknowledgedChildInOneCommand_LeavesOtherDistrictsAlone()
    {
        // Arrange: the incident acknowledged with its children, and an acknowledged device alert in another district.
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(OfflineRule, DistrictRule));
        var district = await FibreCutAsync(h, silent: 8, alsoSilentInTuKy: 1);
        var elsewhere = (await h.OpenAsync("device-offline")).Single(c => c.District == "tu-ky");
        await h.Service.AcknowledgeAsync(elsewhere.Id, "minh.tran", null, CancellationToken.None);
        await h.Service.AcknowledgeAsync(district.Id, "lan.nguyen", "fibre crew sent", CancellationToken.None);
        var before = h.Changes.Count;

        // Act
        var unacknowledged = await h.Service.UnacknowledgeAsync(district.Id, "hoa.le", CancellationToken.None);

        // Assert
        Assert.Equal((AlertState.Firing, null), (unacknowledged.State, unacknowledged.AcknowledgedBy));
        var children = (await h.OpenAsync("device-offline")).Where(c => c.ParentId == district.Id).ToList();
        Assert.Equal(8, children.Count);
        Assert.All(children, c => Assert.Equal((AlertState.Firing, (string?)null, (DateTimeOffset?)null), (c.State, c.AcknowledgedBy, c.AcknowledgedAt)));
        var audit = (await h.Service.GetAsync(children[0].Id, CancellationToken.None))!.Audit;
        var line = Assert.Single(audit, a => a.Action == "unacknowledged");
        Assert.Equal("hoa.le", line.Actor);
        Assert.Equal($"with its group alert #{district.Id}; was acknowledged by lan.nguyen", line.Detail);
        Assert.Equal(9, h.Changes.Skip(before).Count(c => c.Kind == AlertChangeKind.Unacknowledged));
        var other = (await h.OpenAsync("device-offline")).Single(c => c.Id == elsewhere.Id);
        Assert.Equal((AlertState.Acknowledged, "minh.tran"), (other.State, other.AcknowledgedBy));
    }

    [Fact]
    public async Task Resolve_GroupAlert_ResolvesEveryOpenChild_LeavesOtherDistrictsAlone()
    {
        // Arrange: one child already acknowledged on its own, and a device alert in another district.
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(OfflineRule, DistrictRule));
        var district = await FibreCutAsync(h, silent: 8, alsoSilentInTuKy: 1);
        var children = await h.OpenAsync("device-offline");
        var first = children.First(c => c.ParentId == district.Id);
        await h.Service.AcknowledgeAsync(first.Id, "minh.tran", null, CancellationToken.None);

        // Act
        await h.Service.ResolveAsync(district.Id, "lan.nguyen", "link restored", CancellationToken.None);

        // Assert
        var open = await h.OpenAsync();
        var left = Assert.Single(open);
        Assert.Equal("tu-ky", left.District);
        var all = await h.AllAsync("device-offline");
        Assert.All(all.Where(a => a.ParentId == district.Id), a => Assert.Equal((AlertState.Resolved, "lan.nguyen"), (a.State, a.ResolvedBy)));
    }

    [Fact]
    public async Task StatedCount_ChildrenJoinAndLeave_EqualsTheOpenChildrenUnderIt()
    {
        // Arrange: the district fires with 8 silent access points.
        await using var h = await AlertingHarness.CreateAsync(AlertingHarness.Rules(OfflineRule, DistrictRule));
        var district = await FibreCutAsync(h, silent: 8);
        Assert.Equal(8, district.Value);

        // Act 1: a ninth falls silent later; it is linked under the district alert.
        await SilenceAsync(h, silentThanhHa: 9, rounds: 12);
        var grown = (await h.Service.GetAsync(district.Id, CancellationToken.None))!;

        // Assert 1
        Assert.Equal(9, grown.Children.Count(c => c.IsOpen));
        Assert.Equal(9, grown.Alert.Value);
        Assert.Equal("District Thanh Ha: 9 devices offline", grown.Alert.Summary);

        // Act 2: an operator resolves one device alert by hand.
        await h.Service.ResolveAsync(grown.Children[0].Id, "lan.nguyen", null, CancellationToken.None);
        var shrunk = (await h.Service.GetAsync(district.Id, CancellationToken.None))!;

        // Assert 2
        Assert.Equal(8, shrunk.Children.Count(c => c.IsOpen));
        Assert.Equal(8, shrunk.Alert.Value);
        Assert.Equal("District Thanh Ha: 8 devices offline", shrunk.Alert.Summary);
    }

    /// <summary>Ten access points in Thanh Hà and ten in Tứ Kỳ report; then the first <paramref name="silent"/> of Thanh Hà fall silent.</summary>
    private static async Task<Alert> FibreCutAsync(AlertingHarness h, int silent, int alsoSilentInTuKy = 0)
    {
        for (var i = 0; i < 10; i++)
        {
            await h.TelemetryAsync(TestDevices.ThanhHaAp(i), """{"clients": 5}""");
            await h.TelemetryAsync(TestDevices.TuKyAp(i), """{"clients": 5}""");
        }

        await SilenceAsync(h, silent, rounds: 12, silentTuKy: alsoSilentInTuKy);
        return Assert.Single(await h.OpenAsync("district-down"));
    }

    private static async Task SilenceAsync(AlertingHarness h, int silentThanhHa, int rounds, int silentTuKy = 0)
    {
        for (var round = 0; round < rounds; round++)
        {
            h.Time.Advance(TimeSpan.FromSeconds(10));
            for (var i = silentTuKy; i < 10; i++)
            {
                await h.TelemetryAsync(TestDevices.TuKyAp(i), """{"clients": 5}""");
            }

            for (var i = silentThanhHa; i < 10; i++)
            {
                await h.TelemetryAsync(TestDevices.ThanhHaAp(i), """{"clients": 5}""");
            }

            await h.TickAsync();
        }
    }
}
