using System.Threading.Channels;
using Ioc.Collector.Configuration;
using Ioc.Contract;
using Ioc.Mqtt;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ioc.Collector.Pipeline;

/// <summary>
/// With several collectors (<c>Ioc:Alerting:Evaluator:Input=Lease</c>) the rules are evaluated by whichever collector
/// holds the lease, from its own subscription to the broker, so a message that never crossed the broker (syslog, SNMP
/// traps and polls, received by this collector itself) would be stored and never evaluated. Once such a message is
/// decoded and admitted, the batcher hands it here, and it is published as it is, at QoS 1, on its
/// <see cref="Topics.IngressPrefix"/> topic, which the evaluator subscribes to and no ingestion subscription matches:
/// stored once (here), evaluated once (there). Off (<see cref="Enabled"/> false) when the engine runs in this process
/// on the collector's own stream. Bounded: while the broker is unreachable up to <see cref="Capacity"/> messages wait;
/// beyond that the newest are not forwarded (still stored), counted in <see cref="Dropped"/> and logged.
/// </summary>
public sealed partial class EvaluatorForwarder : BackgroundService
{
    /// <summary>The key that says where the engine's input comes from (the alerting's <c>EvaluatorOptions.Input</c>).</summary>
    public const string EvaluatorInputKey = "Ioc:Alerting:Evaluator:Input";

    public const int Capacity = 10_000;

    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(5);

    private readonly Channel<InboundMessage> _queue = Channel.CreateBounded<InboundMessage>(new BoundedChannelOptions(Capacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
        SingleWriter = true,
    });

    private readonly MqttConnectionOptions _mqtt;
    private readonly TimeProvider _time;
    private readonly ILogger<EvaluatorForwarder> _logger;
    private readonly ILogger<BrokerClient> _clientLogger;
    private long _forwarded;
    private long _dropped;

    public EvaluatorForwarder(
        bool enabled,
        [FromKeyedServices(CollectorOptions.MqttComponent)] MqttConnectionOptions mqtt,
        TimeProvider time,
        ILogger<EvaluatorForwarder> logger,
        ILogger<BrokerClient> clientLogger)
    {
        Enabled = enabled;
        _mqtt = mqtt;
        _time = time;
        _logger = logger;
        _clientLogger = clientLogger;
    }

    public bool Enabled { get; }

    /// <summary>Messages published to the evaluator's ingress (PUBACK received).</summary>
    public long Forwarded => Interlocked.Read(ref _forwarded);

    /// <summary>Messages not forwarded because <see cref="Capacity"/> were already waiting for the broker.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>True when the evaluator of this deployment reads the broker rather than this process's pipeline.</summary>
    public static bool IsNeeded(Microsoft.Extensions.Configuration.IConfiguration configuration) =>
        string.Equals(configuration[EvaluatorInputKey], "Lease", StringComparison.OrdinalIgnoreCase);

    /// <summary>Called by the batcher for an accepted message; returns at once.</summary>
    public void Forward(InboundMessage message)
    {
        if (!Enabled || !message.ReceivedHere)
        {
            return;
        }

        if (!_queue.Writer.TryWrite(message) && Interlocked.Increment(ref _dropped) is var dropped && (dropped == 1 || dropped % 1000 == 0))
        {
            Log.Dropped(_logger, message.Topic, dropped, Capacity);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }

        var settings = new BrokerClientSettings { ClientId = _mqtt.ClientIdOr(CollectorOptions.DefaultClientId) + "-forward" };
        await using var client = new BrokerClient(_mqtt, settings, null, _clientLogger, _time);
        client.Start();
        var failing = false;
        try
        {
            await foreach (var message in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                var topic = Topics.ToIngress(message.Topic);
                while (true)
                {
                    try
                    {
                        // Waits for the connection (up to its connect timeout) and for the broker's PUBACK.
                        var result = await client.PublishAsync(topic, message.Payload, cancellationToken: stoppingToken);
                        failing = false;
                        if (result.IsSuccess)
                        {
                            Interlocked.Increment(ref _forwarded);
                        }
                        else
                        {
                            // Refused by the broker (its ACL): retrying cannot help; the message is stored regardless.
                            Interlocked.Increment(ref _dropped);
                            Log.Refused(_logger, topic, result.ReasonCode.ToString());
                        }

                        break;
                    }
                    catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                    {
                        if (!failing)
                        {
                            failing = true;
                            Log.PublishFailed(_logger, topic, ex.Message);
                        }

                        await client.WaitConnectedAsync(stoppingToken);
                        await Task.Delay(RetryDelay, _time, stoppingToken);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await client.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// Registered before the batcher, so it stops after it: what the batcher handed over is published before the
    /// connection closes (for at most a few seconds; without a broker it is stored, only not evaluated).
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        if (ExecuteTask is { } running)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(DrainLimit);
            await Task.WhenAny(running, Task.Delay(Timeout.Infinite, limit.Token));
        }

        await base.StopAsync(cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "The broker refused the forwarded message on {Topic} ({Reason}): the collector's account needs write access to ioc/ingress/v1/# (deploy/mosquitto/acl)")]
        public static partial void Refused(ILogger logger, string topic, string reason);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Forwarding a locally received message ({Topic}) to the evaluator failed: {Error}; retrying once the broker is back")]
        public static partial void PublishFailed(ILogger logger, string topic, string error);

        [LoggerMessage(Level = LogLevel.Warning, Message = "{Capacity} locally received messages are waiting for the broker; {Topic} is stored but not evaluated ({Dropped} so far)")]
        public static partial void Dropped(ILogger logger, string topic, long dropped, int capacity);
    }
}
