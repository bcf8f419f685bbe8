using System.Buffers;
using Ioc.Alerting.Engine;
using Ioc.Contract;
using Ioc.Mqtt;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;

namespace Ioc.Alerting.Election;

/// <summary>
/// The active evaluator's input when several collectors share the ingestion: its own subscription to every device
/// topic, and to <see cref="Topics.AllIngress"/> where the collectors republish what they received outside the broker
/// (syslog, SNMP: <c>EvaluatorForwarder</c>), on one persistent session (<see cref="EvaluatorOptions.ClientId"/>) that moves with the lease. It connects only
/// once this process holds the lease; while nobody evaluates (a takeover), the broker queues the messages in that session,
/// and the new holder receives them when it connects. A message is acknowledged after the engine has evaluated it and
/// stored its alerts, so a crash loses no evaluation: what was not acknowledged is delivered again, and the engine's
/// one-open-alert-per-rule-and-subject rule absorbs the repeat. Registered after the engine, so it stops first.
/// </summary>
public sealed class EvaluatorSubscription(
    IEvaluatorGate gate,
    AlertIntake intake,
    MessageDecoder decoder,
    [FromKeyedServices(EvaluatorSubscription.MqttComponent)] MqttConnectionOptions mqtt,
    EvaluatorOptions options,
    TimeProvider time,
    ILoggerFactory loggers) : BackgroundService
{
    /// <summary>The options override section: <c>Ioc:Mqtt:Evaluator</c> (e.g. its own credentials).</summary>
    public const string MqttComponent = "Evaluator";

    /// <summary>Every device topic; announcements under <c>_system</c> are acknowledged and ignored.</summary>
    public const string TopicFilter = "ioc/v1/#";


    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await gate.WaitUntilActiveAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var settings = new BrokerClientSettings
        {
            ClientId = options.ClientId,
            Subscriptions = [new MqttSubscription(TopicFilter), new MqttSubscription(Topics.AllIngress)],
            PersistentSession = true,
            AutoAcknowledge = false,
        };
        var client = new BrokerClient(mqtt, settings, e => OnMessageAsync(e, stoppingToken), loggers.CreateLogger<EvaluatorSubscription>(), time);
        try
        {
            client.Start();
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            await client.StopAsync(CancellationToken.None);
            await client.DisposeAsync();
        }
    }

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e, CancellationToken cancellationToken)
    {
        var message = e.ApplicationMessage;
        if (message.Topic.StartsWith(Topics.SystemPrefix, StringComparison.Ordinal))
        {
            await e.AcknowledgeAsync(cancellationToken);
            return;
        }

        // What a collector received itself (syslog, SNMP) arrives on its ingress topic: evaluated as the device's own.
        var topic = Topics.FromIngress(message.Topic) ?? message.Topic;
        var payload = message.Payload;
        var result = payload.IsSingleSegment
            ? decoder.Decode(topic, payload.FirstSpan, time.GetUtcNow())
            : decoder.Decode(topic, payload.ToArray(), time.GetUtcNow());
        if (result.Message is not { } decoded)
        {
            // Refused messages are the collector's to dead-letter; the engine has nothing to evaluate.
            await e.AcknowledgeAsync(cancellationToken);
            return;
        }

        // Waits for room: a slow engine holds the socket, and the broker keeps the rest in the session.
        await intake.EnqueueAsync(decoded, () => new ValueTask(e.AcknowledgeAsync(CancellationToken.None)), cancellationToken);
    }
}
