using System.Threading.Channels;
using Ioc.Alerting.Election;
using Ioc.Alerting.Hosting;
using Ioc.Contract.Alerts;
using Ioc.Mqtt;
using Ioc.Storage.Operational;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;

namespace Ioc.Alerting.Announce;

/// <summary>
/// Publishes alert and health changes on MQTT (QoS 1) through a <see cref="BrokerClient"/> (<c>Ioc:Mqtt</c>, overridable in
/// <c>Ioc:Mqtt:Alerting</c>). Announcements queue in a bounded channel; unsent ones wait while the client reconnects, and
/// after every (re)connect the retained topics are rebuilt from the store.
/// </summary>
public sealed class MqttAnnouncer : BackgroundService, IAlertAnnouncer
{
    public const string MqttComponent = "Alerting";

    private const int Capacity = 50_000;

    private readonly Channel<MqttApplicationMessage> _queue = Channel.CreateBounded<MqttApplicationMessage>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private readonly MqttConnectionOptions _mqtt;
    private readonly IAlertStore _store;
    private readonly IEvaluatorGate _gate;
    private readonly TimeProvider _time;
    private readonly ILogger<MqttAnnouncer> _logger;
    private readonly BrokerClient _client;
    /// <summary>Queued by a (re)connect to wake a loop that waits for announcements; never published.</summary>
    private static readonly MqttApplicationMessage Wake = new() { Topic = "ioc/v1/_system/wake" };

    private long _dropped;

    // 1 from the start: the first connection rebuilds the retained topics even if the loop sees the client connected
    // before the ConnectionChanged handler has run (BrokerClient completes its connected signal first).
    private int _resynchronise = 1;

    public MqttAnnouncer([FromKeyedServices(MqttComponent)] MqttConnectionOptions mqtt, IAlertStore store, IEvaluatorGate gate, TimeProvider time, ILogger<MqttAnnouncer> logger, ILogger<BrokerClient> clientLogger)
    {
        _mqtt = mqtt;
        _store = store;
        _gate = gate;
        _time = time;
        _logger = logger;
        _client = new BrokerClient(mqtt, new BrokerClientSettings { ClientId = mqtt.ClientIdOr("ioc-alerting") }, logger: clientLogger, time: time);
        _client.ConnectionChanged += (_, up) =>
        {
            if (up)
            {
                Volatile.Write(ref _resynchronise, 1);
                _queue.Writer.TryWrite(Wake);
            }
        };
    }

    public void AlertChanged(AlertChange change)
    {
        Enqueue(SystemTopics.AlertEvents, AnnouncementJson.Change(change), retain: false);
        Enqueue(SystemTopics.OpenAlert(change.Alert.Id), change.Alert.IsOpen ? AnnouncementJson.Alert(change.Alert) : [], retain: true);
    }

    public void HealthChanged(DeviceHealth health) => Enqueue(SystemTopics.Health(health), AnnouncementJson.Health(health), retain: true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Only the active evaluator announces: a standby has nothing to say, and one client id must not be shared.
        try
        {
            await _gate.WaitUntilActiveAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        _client.Start();
        MqttApplicationMessage? pending = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _client.WaitConnectedAsync(stoppingToken);
                if (Interlocked.Exchange(ref _resynchronise, 0) == 1)
                {
                    Log.AnnouncerConnected(_logger, _mqtt.Host, _mqtt.Port);
                    try
                    {
                        await ResynchroniseAsync(stoppingToken);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // The store unreadable: try again after the pause below.
                        Volatile.Write(ref _resynchronise, 1);
                        throw;
                    }
                }

                pending ??= await _queue.Reader.ReadAsync(stoppingToken);
                if (ReferenceEquals(pending, Wake))
                {
                    pending = null;
                    continue;
                }

                await _client.PublishAsync(pending, stoppingToken);
                pending = null;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // Connection lost mid-publish (the client reconnects) or the store unreadable while resynchronising: the
                // message is kept; try again after a short pause.
                Log.AnnouncerDisconnected(_logger, _mqtt.Host, _mqtt.Port, ex.Message);
                await Task.Delay(_mqtt.ReconnectMinDelay, _time, stoppingToken).ContinueWith(static _ => { }, TaskScheduler.Default);
            }
        }

        await _client.StopAsync(CancellationToken.None);
    }

    public override void Dispose()
    {
        _client.DisposeAsync().AsTask().GetAwaiter().GetResult();
        base.Dispose();
    }

    /// <summary>
    /// After (re)connecting, the retained topics are rebuilt from the store: a snapshot for every open alert, and an empty
    /// retained message for recently resolved ones, in case their removal was lost while the broker was away.
    /// </summary>
    private async Task ResynchroniseAsync(CancellationToken cancellationToken)
    {
        foreach (var alert in await _store.ListAsync(new AlertFilter { State = AlertState.Resolved, Limit = 1000 }, openOnly: false, cancellationToken))
        {
            Enqueue(SystemTopics.OpenAlert(alert.Id), [], retain: true);
        }

        foreach (var alert in await _store.ListOpenAsync(cancellationToken))
        {
            Enqueue(SystemTopics.OpenAlert(alert.Id), AnnouncementJson.Alert(alert), retain: true);
        }
    }

    private void Enqueue(string topic, byte[] payload, bool retain)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithRetainFlag(retain)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithContentType("application/json")
            .Build();
        if (!_queue.Writer.TryWrite(message) || _queue.Reader.Count >= Capacity)
        {
            var dropped = Interlocked.Increment(ref _dropped);
            if (dropped == 1 || dropped % 1000 == 0)
            {
                Log.AnnouncementsDropped(_logger, dropped);
            }
        }
    }
}
