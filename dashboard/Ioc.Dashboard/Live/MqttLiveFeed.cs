using System.Buffers;
using Ioc.Contract;
using Ioc.Dashboard.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;

namespace Ioc.Dashboard.Live;

/// <summary>
/// Follows the broker: device status (retained) and telemetry into <see cref="DeviceStateStore"/>, events into
/// <see cref="EventFeed"/>, the alert engine's announcements into <see cref="AlertAnnouncements"/>. Reconnects from its own loop.
/// </summary>
internal sealed class MqttLiveFeed : BackgroundService
{
    private readonly DashboardMqttOptions _options;
    private readonly MessageDecoder _decoder;
    private readonly DeviceStateStore _devices;
    private readonly EventFeed _events;
    private readonly AlertAnnouncements _alerts;
    private readonly FeedConnection _connection;
    private readonly TimeProvider _time;
    private readonly ILogger<MqttLiveFeed> _logger;

    public MqttLiveFeed(
        IOptions<DashboardMqttOptions> options,
        DeviceStateStore devices,
        EventFeed events,
        AlertAnnouncements alerts,
        FeedConnection connection,
        TimeProvider time,
        ILogger<MqttLiveFeed> logger)
    {
        _options = options.Value;
        // The feed only reads what the collector already accepted; it decodes with the same contract but a wide
        // age window (a retained status may be old).
        _decoder = new MessageDecoder(new ContractOptions { MaxPastAge = TimeSpan.FromDays(3650) });
        _devices = devices;
        _events = events;
        _alerts = alerts;
        _connection = connection;
        _time = time;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e =>
        {
            Handle(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload);
            return Task.CompletedTask;
        };
        client.DisconnectedAsync += _ =>
        {
            _connection.Set(false);
            return Task.CompletedTask;
        };

        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.Host, _options.Port)
            .WithClientId($"ioc-dashboard-{Environment.MachineName}-{Guid.NewGuid():N}"[..48])
            .WithCleanSession(true)
            .WithTimeout(TimeSpan.FromSeconds(5));
        if (!string.IsNullOrEmpty(_options.Username))
        {
            builder = builder.WithCredentials(_options.Username, _options.Password);
        }

        var clientOptions = builder.Build();
        var reportedDown = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            if (!client.IsConnected)
            {
                try
                {
                    await client.ConnectAsync(clientOptions, stoppingToken);
                    var subscribe = new MqttClientSubscribeOptionsBuilder()
                        .WithTopicFilter("ioc/v1/+/+/+/status", MqttQualityOfServiceLevel.AtLeastOnce)
                        .WithTopicFilter("ioc/v1/+/+/+/telemetry", MqttQualityOfServiceLevel.AtMostOnce)
                        .WithTopicFilter("ioc/v1/+/+/+/event", MqttQualityOfServiceLevel.AtLeastOnce)
                        .WithTopicFilter(AlertAnnouncements.TopicFilter, MqttQualityOfServiceLevel.AtLeastOnce)
                        .Build();
                    await client.SubscribeAsync(subscribe, stoppingToken);
                    _connection.Set(true);
                    reportedDown = false;
                    Log.FeedConnected(_logger, _options.Host, _options.Port);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException or OperationCanceledException or System.Net.Sockets.SocketException)
                {
                    _connection.Set(false);
                    if (!reportedDown)
                    {
                        // Once per outage: the indicator in the app bar shows it meanwhile.
                        reportedDown = true;
                        Log.FeedUnavailable(_logger, _options.Host, _options.Port, ex.Message);
                    }
                }
            }

            try
            {
                await Task.Delay(_options.ReconnectDelay, _time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        if (client.IsConnected)
        {
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
        }
    }

    internal void Handle(string topic, ReadOnlySequence<byte> payload)
    {
        _connection.CountMessage();
        if (topic.StartsWith(Topics.SystemPrefix + "alerts/", StringComparison.Ordinal))
        {
            _alerts.Announce(SeverityIn(payload));
            return;
        }

        var bytes = payload.IsSingleSegment ? payload.FirstSpan : payload.ToArray();
        var result = _decoder.Decode(topic, bytes, _time.GetUtcNow());
        if (!result.IsAccepted)
        {
            Log.FeedIgnored(_logger, topic, result.Rejection!.Detail);
            return;
        }

        var message = result.Message!;
        if (message.Status is { } status)
        {
            _devices.ApplyStatus(status);
        }
        else if (message.Event is { } deviceEvent)
        {
            _events.Add(deviceEvent);
        }
        else
        {
            _devices.ApplyTelemetry(message.Device, message.Points);
        }
    }

    /// <summary>
    /// The severity of a newly fired alert in the alert engine's announcement on <c>ioc/v1/_system/alerts/events</c>
    /// (<c>{"change":"fired","actor":…,"at":…,"alert":{…,"severity":"critical"}}</c>); null for every other change and for
    /// the retained per-alert messages on <c>alerts/open/{id}</c>.
    /// </summary>
    internal static string? SeverityIn(ReadOnlySequence<byte> payload)
    {
        try
        {
            var reader = new System.Text.Json.Utf8JsonReader(payload);
            using var document = System.Text.Json.JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            return root.ValueKind == System.Text.Json.JsonValueKind.Object
                && root.TryGetProperty("change", out var change) && change.ValueKind == System.Text.Json.JsonValueKind.String && change.GetString() == "fired"
                && root.TryGetProperty("alert", out var alert) && alert.ValueKind == System.Text.Json.JsonValueKind.Object
                && alert.TryGetProperty("severity", out var severity) && severity.ValueKind == System.Text.Json.JsonValueKind.String
                    ? severity.GetString()
                    : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
