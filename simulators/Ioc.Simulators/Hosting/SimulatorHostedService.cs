using Ioc.Mqtt;
using Ioc.Simulators.Publishing;
using Ioc.Simulators.Syslog;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ioc.Simulators.Hosting;

/// <summary>Runs the simulated province inside a host until it stops; waits for the broker if it is not up yet.</summary>
public sealed partial class SimulatorHostedService(
    SimulationSession session,
    [FromKeyedServices(SinkClients.MqttComponent)] MqttConnectionOptions broker,
    TimeProvider time,
    ILogger<SimulatorHostedService> logger,
    ILoggerFactory loggers,
    IOptions<SimulatedSyslogOptions> syslog,
    ISimulatedSyslogTargetSource syslogTarget) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = session.Options;
        if (!options.Enabled)
        {
            LogDisabled(logger);
            return;
        }

        var generator = session.CreateGenerator(time.GetUtcNow() - options.Backfill);
        LogStarting(logger, session.Fleet.Devices.Count, options.Mode, broker.Host, broker.Port, generator.NominalRate);
        IMessageSink mqtt = options.Mode == ConnectionMode.PerDevice
            ? new PerDeviceSink(session.Fleet, broker, logger: loggers.CreateLogger(SimulatedDevices.LogCategory))
            : new MultiplexedSink(broker, options.Connections, loggers.CreateLogger(SimulatedDevices.LogCategory));

        // Firewalls' events as FortiGate syslog when a syslog target is configured (Ioc:Simulators:Syslog); MQTT otherwise.
        await using IMessageSink sink = new SyslogEventSink(mqtt, session.Fleet, syslog.Value, syslogTarget, loggers.CreateLogger(SimulatedDevices.LogCategory));
        try
        {
            await ConnectAsync(sink, stoppingToken);
            session.Stats.Connections = sink.Connections;
            var runner = new SimulationRunner(generator, sink, session.Stats, time, options.RatePerSecond, logger, options.MaxInFlight);
            await runner.RunAsync(RunLimits.None, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host shutting down.
        }

        LogStopped(logger, session.Stats.Snapshot().Sent);
    }

    private async Task ConnectAsync(IMessageSink sink, CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                await sink.StartAsync(stoppingToken);
                LogConnected(logger, sink.Connections);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogBrokerUnreachable(logger, broker.Host, broker.Port, ex.Message, RetryDelay.TotalSeconds);
                await Task.Delay(RetryDelay, time, stoppingToken);
            }
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Simulators disabled (Ioc:Simulators:Enabled = false)")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Simulating {Devices} devices ({Mode}) against {Host}:{Port}, about {Rate:0} msg/s")]
    private static partial void LogStarting(ILogger logger, int devices, ConnectionMode mode, string host, int port, double rate);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Simulator connected with {Connections} MQTT connections")]
    private static partial void LogConnected(ILogger logger, int connections);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Broker {Host}:{Port} not reachable ({Reason}); retrying in {Seconds} s")]
    private static partial void LogBrokerUnreachable(ILogger logger, string host, int port, string reason, double seconds);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "Simulator stopped after {Sent} messages")]
    private static partial void LogStopped(ILogger logger, long sent);
}
