using System.Globalization;
using System.Text;
using Bunit;
using Ioc.Contract;
using Ioc.Contract.Alerts;
using Ioc.Contract.Model;
using Ioc.Dashboard.Components.Controls;
using Ioc.Dashboard.Components.Pages;
using Ioc.Dashboard.Data;
using Ioc.Dashboard.Live;
using Ioc.Dashboard.Security;
using Ioc.Dashboard.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Ioc.Dashboard.Tests.Components;

public sealed class LiveComponentsTests : IAsyncLifetime
{
    private readonly DashboardTestContext _ctx = new();

    public LiveComponentsTests()
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("vi-VN");
        _ctx.SignInAs("boss", Roles.Viewer);
    }

    private DeviceStateStore Live => _ctx.Services.GetRequiredService<DeviceStateStore>();

    [Fact]
    public void Devices_StatusGoesOffline_RowUpdatesWithoutReload()
    {
        // Arrange
        var ap = new DeviceAddress("thanh-ha", DeviceTypes.WifiAccessPoint, "TH-AP-0001");
        Live.ApplyStatus(new DeviceStatus(ap, _ctx.Time.GetUtcNow(), DeviceState.Online));
        var page = _ctx.Render<Devices>();
        page.WaitForAssertion(() => Assert.Equal("online", page.Find("[data-testid=state-chip]").GetAttribute("data-state")));

        // Act
        Live.ApplyStatus(new DeviceStatus(ap, _ctx.Time.GetUtcNow().AddSeconds(1), DeviceState.Offline));
        _ctx.FlushLive();

        // Assert
        page.WaitForAssertion(() => Assert.Equal("offline", page.Find("[data-testid=state-chip]").GetAttribute("data-state")));
        Assert.Equal("Mất kết nối", page.Find("[data-testid=state-chip]").TextContent);
    }

    [Fact]
    public void LineChart_Buckets_DrawsPathAndThresholdLabel()
    {
        // Arrange
        var from = _ctx.Time.GetUtcNow().AddHours(-1);
        SeriesBucket[] buckets = [new(from, 20, 21, 22, 10), new(from.AddMinutes(30), 24, 26, 29, 10)];

        // Act
        var chart = _ctx.Render<LineChart>(p => p
            .Add(c => c.Buckets, buckets)
            .Add(c => c.From, from)
            .Add(c => c.To, from.AddHours(1))
            .Add(c => c.Thresholds, [new ChartThreshold(27, "27 °C")]));

        // Assert
        Assert.StartsWith("M", chart.Find("path.ioc-line").GetAttribute("d"), StringComparison.Ordinal);
        Assert.Contains("27 °C", chart.Find(".ioc-threshold-label").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeadLetters_StoredLetters_ListedWithReasonCounts()
    {
        // Arrange
        _ctx.SignInAs("eng", Roles.Engineer);
        var store = _ctx.Services.GetRequiredService<Ioc.Storage.IDeadLetterStore>();
        await store.AddAsync(
            [
                Ioc.Storage.DeadLetter.Create(_ctx.Time.GetUtcNow(), "ioc/v1/x/ups/U1/telemetry", "bad_json", "invalid JSON", Encoding.UTF8.GetBytes("{oops")),
                Ioc.Storage.DeadLetter.Create(_ctx.Time.GetUtcNow(), "ioc/v1/Bad/ups/U1/status", "bad_topic", "site must match", Encoding.UTF8.GetBytes("{}")),
            ],
            CancellationToken.None);

        // Act
        var page = _ctx.Render<DeadLetters>();

        // Assert
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=dead-letter-row]").Count));
        Assert.Equal(2, page.FindAll("[data-testid=reason-chip]").Count);
        Assert.Contains("{oops", page.Markup, StringComparison.Ordinal);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.DisposeAsync().AsTask();
}
