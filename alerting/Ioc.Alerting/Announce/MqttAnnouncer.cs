using System.Threading.Channels;
using Ioc.Alerting.Hosting;
using Ioc.Contract.Alerts;
using Ioc.Storage.Operational;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;

namespace Ioc.Alerting.Announce;

/// <summary>
/// Publishes alert and health changes on MQTT (QoS 1). Announcements queue in a bounded channel; the service owns the
/// connection and reconnects from its own loop, keeping unsent messages until the broker is back.
/// </summary>
public sealed class MqttAnnouncer(AlertingOptions options, IAlertStore store, TimeProvider time, ILogger<MqttAnnouncer> logger) : BackgroundService, IAlertAnnouncer
{
    private readonly Channel<MqttApplicationMessage> _queue = Channel.CreateBounded<MqttApplicationMessage>(
        new BoundedChannelOptions(50_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private long _dropped;

    public void AlertChanged(AlertChange change)
    {
        Enqueue(SystemTopics.AlertEvents, AnnouncementJson.Change(change), retain: false);
        Enqueue(SystemTopics.OpenAlert(change.Alert.Id), change.Alert.IsOpen ? AnnouncementJson.Alert(change.Alert) : [], retain: true);
    }

    public void HealthChanged(DeviceHealth health) => Enqueue(SystemTopics.Health(health), AnnouncementJson.Health(health), retain: true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Announcements;
        using var client = new MqttClientFactory().CreateMqttClient();
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(settings.Host, settings.Port)
            .WithClientId(settings.ClientId)
            .WithCleanSession(true);
        if (!string.IsNullOrEmpty(settings.Username))
        {
            builder = builder.WithCredentials(settings.Username, settings.Password);
        }

        var clientOptions = builder.Build();
        var delay = TimeSpan.FromSeconds(1);
        MqttApplicationMessage? pending = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!client.IsConnected)
                {
                    await client.ConnectAsync(clientOptions, stoppingToken);
                    Log.AnnouncerConnected(logger, settings.Host, settings.Port);
                    delay = TimeSpan.FromSeconds(1);
                    await ResynchroniseAsync(stoppingToken);
                }

                pending ??= await _queue.Reader.ReadAsync(stoppingToken);
                await client.PublishAsync(pending, stoppingToken);
                pending = null;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // Broker away, refused connection, or the store unreadable during the resynchronisation: retry later.
                Log.AnnouncerDisconnected(logger, settings.Host, settings.Port, ex.Message);
                await Task.Delay(delay, time, stoppingToken).ContinueWith(static _ => { }, TaskScheduler.Default);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }

        if (client.IsConnected)
        {
            await client.DisconnectAsync(new MqttClientDisconnectOptions(), CancellationToken.None);
        }
    }

    /// <summary>
    /// After (re)connecting, the retained topics are rebuilt from the store: a snapshot for every open alert, and an empty
    /// retained message for recently resolved ones, in case their removal was lost while the broker was away.
    /// </summary>
    private async Task ResynchroniseAsync(CancellationToken cancellationToken)
    {
        foreach (var alert in await store.ListAsync(new AlertFilter { State = AlertState.Resolved, Limit = 1000 }, openOnly: false, cancellationToken))
        {
            Enqueue(SystemTopics.OpenAlert(alert.Id), [], retain: true);
        }

        foreach (var alert in await store.ListOpenAsync(cancellationToken))
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
        if (!_queue.Writer.TryWrite(message) || _queue.Reader.Count >= 50_000)
        {
            var dropped = Interlocked.Increment(ref _dropped);
            if (dropped == 1 || dropped % 1000 == 0)
            {
                Log.AnnouncementsDropped(logger, dropped);
            }
        }
    }
}
