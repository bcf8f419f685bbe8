using Ioc.Storage.Operational;

namespace Ioc.AllInOne.Broker;

/// <summary>Device logins at the embedded broker, checked against the registry's credentials (once per CONNECT, not per message).</summary>
public sealed partial class RegistryDeviceAuthenticator(IDeviceCredentialStore credentials, ILogger<RegistryDeviceAuthenticator> logger) : IBrokerDeviceAuthenticator
{
    public async ValueTask<bool> VerifyAsync(string deviceId, string password, CancellationToken cancellationToken)
    {
        try
        {
            return await credentials.VerifyAsync(deviceId, password, cancellationToken) is not null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The store not migrated yet, or down: refuse this attempt, the device retries.
            Log.VerifyFailed(logger, deviceId, ex);
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check the credential of device {DeviceId}; connection refused")]
        public static partial void VerifyFailed(ILogger logger, string deviceId, Exception exception);
    }
}
