using Ioc.Contract.Security;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Ioc.AllInOne.Broker;

/// <summary>Checks a device's username (its id) and password against the device registry.</summary>
public interface IBrokerDeviceAuthenticator
{
    ValueTask<bool> VerifyAsync(string deviceId, string password, CancellationToken cancellationToken);
}

/// <summary>
/// MQTTnet's embedded broker, for the zero-setup mode. Registered before the collector so that it starts
/// first and stops last. Sessions persist in memory for the life of the process. Listens only on
/// <c>Ioc:Broker:BindAddress</c>, refuses anonymous clients (unless <c>AllowAnonymous</c>), and enforces the topic
/// rules of <see cref="BrokerAccessPolicy"/> on every publish (a will is checked when the broker sends it) and
/// subscription.
/// </summary>
public sealed partial class EmbeddedBrokerService(
    IOptions<EmbeddedBrokerOptions> options,
    ILogger<EmbeddedBrokerService> logger,
    IEnumerable<IBrokerDeviceAuthenticator> deviceAuthenticators) : IHostedService, IDisposable
{
    private const string PrincipalKey = "ioc.principal";
    private readonly IBrokerDeviceAuthenticator[] _deviceAuthenticators = deviceAuthenticators.ToArray();
    private MqttServer? _server;

    public MqttServer? Server => _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        var (v4, v6) = settings.Endpoints();
        var serverOptions = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(v4)
            .WithDefaultEndpointBoundIPV6Address(v6)
            .WithDefaultEndpointPort(settings.Port)
            .WithPersistentSessions(true)
            .WithMaxPendingMessagesPerClient(settings.MaxPendingMessagesPerClient)
            .Build();
        _server = new MqttServerFactory().CreateMqttServer(serverOptions);
        _server.ValidatingConnectionAsync += ValidateConnectionAsync;
        _server.InterceptingPublishAsync += InterceptPublishAsync;
        _server.InterceptingSubscriptionAsync += InterceptSubscriptionAsync;
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

        Log.Started(logger, settings.BindAddress, settings.Port, settings.AllowAnonymous ? "anonymous allowed (development)" : "credentials required");
    }

    private async Task ValidateConnectionAsync(ValidatingConnectionEventArgs args)
    {
        var principal = await AuthenticateAsync(args.UserName, args.Password, args.CancellationToken);
        if (principal is null)
        {
            args.ReasonCode = string.IsNullOrEmpty(args.UserName) ? MqttConnectReasonCode.NotAuthorized : MqttConnectReasonCode.BadUserNameOrPassword;
            Log.Refused(logger, args.ClientId, args.UserName ?? "(anonymous)", args.RemoteEndPoint?.ToString() ?? "?");
            return;
        }

        args.SessionItems[PrincipalKey] = principal;
    }

    internal async ValueTask<BrokerPrincipal?> AuthenticateAsync(string? username, string? password, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (string.IsNullOrEmpty(username))
        {
            return settings.AllowAnonymous && string.IsNullOrEmpty(password) ? new BrokerPrincipal(BrokerRole.Anonymous, null) : null;
        }

        password ??= string.Empty;
        if (settings.Accounts.TryGetValue(username, out var account))
        {
            return Secrets.Equal(password, account.Password) ? new BrokerPrincipal(account.Role, username) : null;
        }

        if (!string.IsNullOrEmpty(settings.DevicePassword) && Secrets.Equal(password, settings.DevicePassword))
        {
            return new BrokerPrincipal(BrokerRole.Device, username);
        }

        foreach (var authenticator in _deviceAuthenticators)
        {
            if (await authenticator.VerifyAsync(username, password, cancellationToken))
            {
                return new BrokerPrincipal(BrokerRole.Device, username);
            }
        }

        return null;
    }

    private Task InterceptPublishAsync(InterceptingPublishEventArgs args)
    {
        var principal = args.SessionItems?[PrincipalKey] as BrokerPrincipal;
        if (principal is null || !BrokerAccessPolicy.CanPublish(principal, args.ApplicationMessage.Topic))
        {
            args.ProcessPublish = false;
            args.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
            Log.PublishRefused(logger, args.ClientId, args.UserName ?? "(anonymous)", args.ApplicationMessage.Topic);
        }

        return Task.CompletedTask;
    }

    private Task InterceptSubscriptionAsync(InterceptingSubscriptionEventArgs args)
    {
        var principal = args.SessionItems?[PrincipalKey] as BrokerPrincipal;
        if (principal is null || !BrokerAccessPolicy.CanSubscribe(principal, args.TopicFilter.Topic))
        {
            args.ProcessSubscription = false;
            args.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            Log.SubscriptionRefused(logger, args.ClientId, args.UserName ?? "(anonymous)", args.TopicFilter.Topic);
        }

        return Task.CompletedTask;
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
        [LoggerMessage(Level = LogLevel.Information, Message = "Embedded MQTT broker listening on mqtt://{Address}:{Port}, {Authentication}")]
        public static partial void Started(ILogger logger, string address, int port, string authentication);

        [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT connection refused: client {ClientId}, user {Username}, from {Endpoint}")]
        public static partial void Refused(ILogger logger, string clientId, string username, string endpoint);

        [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT publish refused: client {ClientId} (user {Username}) may not write {Topic}")]
        public static partial void PublishRefused(ILogger logger, string clientId, string username, string topic);

        [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT subscription refused: client {ClientId} (user {Username}) may not read {Topic}")]
        public static partial void SubscriptionRefused(ILogger logger, string clientId, string username, string topic);
    }
}
