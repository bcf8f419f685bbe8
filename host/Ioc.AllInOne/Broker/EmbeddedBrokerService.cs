using System.Net;
using Microsoft.Extensions.Options;
using MQTTnet.Server;

namespace Ioc.AllInOne.Broker;

/// <summary>
/// MQTTnet's embedded broker, for the zero-setup mode. Registered before the collector so that it starts
/// first and stops last. Sessions persist in memory for the life of the process.
/// </summary>
public sealed partial class EmbeddedBrokerService(IOptions<EmbeddedBrokerOptions> options, ILogger<EmbeddedBrokerService> logger) : IHostedService, IDisposable
{
    private MqttServer? _server;

    public MqttServer? Server => _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        var serverOptions = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Parse(settings.BindAddress))
            .WithDefaultEndpointPort(settings.Port)
            .WithPersistentSessions(true)
            .WithMaxPendingMessagesPerClient(settings.MaxPendingMessagesPerClient)
            .Build();
        _server = new MqttServerFactory().CreateMqttServer(serverOptions);
        try
        {
            await _server.StartAsync();
        }
        catch (System.Net.Sockets.SocketException ex) when (ex.SocketErrorCode == System.Net.Sockets.SocketError.AddressAlreadyInUse)
        {
            throw new InvalidOperationException(
                $"The embedded MQTT broker cannot listen on {settings.BindAddress}:{settings.Port}: another program (a local Mosquitto?) uses that port. " +
                $"Stop it, or choose another port with --Ioc:Broker:Port=PORT.", ex);
        }

        Log.Started(logger, settings.BindAddress, settings.Port);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.StopAsync();
        }
    }

    public void Dispose() => _server?.Dispose();


    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Embedded MQTT broker listening on mqtt://{Address}:{Port}")]
        public static partial void Started(ILogger logger, string address, int port);
    }
}
