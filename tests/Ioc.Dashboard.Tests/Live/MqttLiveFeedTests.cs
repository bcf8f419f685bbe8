using System.Buffers;
using System.Text;
using Ioc.Contract.Model;
using Ioc.Dashboard.Configuration;
using Ioc.Dashboard.Live;
using Ioc.Mqtt;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Ioc.Dashboard.Tests.Live;

public sealed class MqttLiveFeedTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 3, 0, 0, TimeSpan.Zero));
    private readonly DeviceStateStore _devices;
    private readonly EventFeed _events;
    private readonly AlertAnnouncements _alerts;
    private readonly MqttLiveFeed _feed;

    public MqttLiveFeedTests()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new DashboardOptions());
        _devices = new DeviceStateStore(_time, NullLogger<DeviceStateStore>.Instance);
        _events = new EventFeed(new Ioc.Dashboard.DashboardClock(_time, options), _time, NullLogger<EventFeed>.Instance);
        _alerts = new AlertAnnouncements(_time, NullLogger<AlertAnnouncements>.Instance);
        _feed = new MqttLiveFeed(
            new MqttConnectionOptions(),
            _devices, _events, new FeedConnection(_time, NullLogger<FeedConnection>.Instance), _time, NullLogger<MqttLiveFeed>.Instance, NullLogger<BrokerClient>.Instance);
    }

    [Fact]
    public void Handle_StatusThenTelemetry_KeepsStateMetricsAndTags()
    {
        // Act
        _feed.Handle("ioc/v1/dc-tinh/ups/DC-UPS-01/status", Bytes("{\"state\":\"offline\",\"ts\":1763953200000}"));
        _feed.Handle("ioc/v1/dc-tinh/ups/DC-UPS-01/telemetry", Bytes("{\"metrics\":{\"load_pct\":41.5,\"on_battery\":false},\"tags\":{\"rack\":\"R03\"}}"));

        // Assert
        var state = Assert.Single(_devices.Snapshot());
        Assert.Equal(DeviceState.Offline, state.State);
        Assert.Equal(41.5, state.Metrics["load_pct"].AsDouble());
        Assert.False(state.Metrics["on_battery"].AsBoolean());
        Assert.Equal("R03", state.Tags["rack"]);
    }

    [Fact]
    public void Handle_Event_AddsToFeedWithSourceIp()
    {
        // Act
        _feed.Handle("ioc/v1/thanh-ha/firewall/TH-FW-01/event", Bytes("{\"type\":\"auth_failure\",\"severity\":\"warning\",\"message\":\"x\",\"attrs\":{\"src_ip\":\"203.0.113.7\"}}"));

        // Assert
        var e = Assert.Single(_events.Recent(10));
        Assert.Equal(EventSeverity.Warning, e.Severity);
        Assert.Equal("203.0.113.7", EventFeed.SourceOf(e));
        Assert.Equal(1, _events.TodayTotal);
    }

    [Fact]
    public void Subscriptions_NeverIncludeTheEnginesAnnouncements()
    {
        // The dashboard opens no MQTT subscription for alert state: announcements are an output for other systems.
        Assert.NotEmpty(MqttLiveFeed.Subscriptions);
        Assert.All(MqttLiveFeed.Subscriptions, s => Assert.DoesNotContain("_system", s.Filter, StringComparison.Ordinal));
        Assert.All(MqttLiveFeed.Subscriptions, s => Assert.DoesNotContain("#", s.Filter, StringComparison.Ordinal));
    }

    [Fact]
    public void Handle_AlertAnnouncementOnMqtt_IsNoLongerAnInputOfAlertPages()
    {
        // Arrange: alert pages follow the engine's change feed (IAlertChanges), not its MQTT announcements.
        var before = _alerts.Version;

        // Act
        _feed.Handle("ioc/v1/_system/alerts/events", Bytes("{\"change\":\"fired\",\"actor\":\"engine\",\"alert\":{\"id\":7,\"severity\":\"critical\",\"state\":\"firing\"}}"));

        // Assert
        Assert.Equal(before, _alerts.Version);
        Assert.Null(_alerts.LastFired);
        Assert.Empty(_devices.Snapshot());
    }

    [Fact]
    public void Handle_BadPayload_IsIgnored()
    {
        // Act
        _feed.Handle("ioc/v1/dc-tinh/ups/DC-UPS-01/status", Bytes("{\"state\":\"sleeping\"}"));
        _feed.Handle("ioc/v1/Bad Site/ups/X/status", Bytes("{\"state\":\"online\"}"));

        // Assert
        Assert.Empty(_devices.Snapshot());
    }

    private static ReadOnlySequence<byte> Bytes(string text) => new(Encoding.UTF8.GetBytes(text));
}
