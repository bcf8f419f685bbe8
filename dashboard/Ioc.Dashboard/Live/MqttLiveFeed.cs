using System.Buffers;
using Ioc.Contract;
using Ioc.Mqtt;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet.Protocol;

namespace Ioc.Dashboard.Live;

/// <summary>
/// Follows the broker through a <see cref="BrokerClient"/> (<c>Ioc:Mqtt</c>, overridable in <c>Ioc:Mqtt:Dashboard</c>):
/// device status (retained) and telemetry into <see cref="DeviceStateStore"/>, events into <see cref="EventFeed"/>. Alert
/// state never comes this way: the pages follow the engine through <c>IAlertChanges</c> (<see cref="AlertAnnouncements"/>).
/// The client reconnects and subscribes again itself.
/// </summary>
internal sealed class MqttLiveFeed : BackgroundService
{
    public const string MqttComponent = "Dashboard";

    internal static readonly MqttSubscription[] Subscriptions =
    [
        new("ioc/v1/+/+/+/status", MqttQualityOfServiceLevel.AtLeastOnce),
        new("ioc/v1/+/+/+/telemetry", MqttQualityOfServiceLevel.AtMostOnce),
        new("ioc/v1/+/+/+/event", MqttQualityOfServiceLevel.AtLeastOnce),
    ];

    private readonly MqttConnectionOptions _options;
    private readonly MessageDecoder _decoder;
    private readonly DeviceStateStore _devices;
    private readonly EventFeed _events;
    private readonly FeedConnection _connection;
    private readonly TimeProvider _time;
    private readonly ILogger<MqttLiveFeed> _logger;
    private readonly ILogger<BrokerClient> _clientLogger;

    public MqttLiveFeed(
        [FromKeyedServices(MqttComponent)] MqttConnectionOptions options,
        DeviceStateStore devices,
        EventFeed events,
        FeedConnection connection,
        TimeProvider time,
        ILogger<MqttLiveFeed> logger,
        ILogger<BrokerClient> clientLogger)
    {
        _options = options;
        // The feed only reads what the collector already accepted; it decodes with the same contract but a wide
        // age window (a retained status may be old).
        _decoder = new MessageDecoder(new ContractOptions { MaxPastAge = TimeSpan.FromDays(3650) });
        _devices = devices;
        _events = events;
        _connection = connection;
        _time = time;
        _logger = logger;
        _clientLogger = clientLogger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A clean session with a unique id: every dashboard instance sees every message.
        var name = $"{_options.ClientIdOr("ioc-dashboard")}-{Environment.MachineName}";
        var clientId = $"{(name.Length > 40 ? name[..40] : name)}-{Guid.NewGuid().ToString("N")[..12]}";
        await using var client = new BrokerClient(
            _options,
            new BrokerClientSettings { ClientId = clientId, Subscriptions = Subscriptions },
            e =>
            {
                Handle(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload);
                return Task.CompletedTask;
            },
            _clientLogger,
            _time);
        // The client logs connects and losses; the app bar shows the state.
        client.ConnectionChanged += (_, up) => _connection.Set(up);
        _connection.Set(false);
        client.Start();
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, _time, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // Host stopping.
        }

        await client.StopAsync(CancellationToken.None);
    }

    internal void Handle(string topic, ReadOnlySequence<byte> payload)
    {
        _connection.CountMessage();
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
}
