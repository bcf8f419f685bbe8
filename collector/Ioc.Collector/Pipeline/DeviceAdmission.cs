using System.Collections.Frozen;
using Ioc.Collector.Configuration;
using Ioc.Contract;
using Ioc.Storage.Operational;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ioc.Collector.Pipeline;

/// <summary>
/// The decode stage's check that a message comes from a registered device: a lookup in an in-memory copy of the
/// registry's live device ids (refreshed by <see cref="DeviceRegistryRefresher"/>), never a database call per message.
/// With <c>Ioc:Devices:AutoRegister=true</c> every device is admitted. The collector's own health
/// (<c>ioc/v1/ioc-core/collector/…</c>) is not a device's and always passes.
/// </summary>
public sealed class DeviceAdmission(IOptions<DeviceRegistryOptions> options)
{
    private const string CollectorSite = "ioc-core";
    private const string CollectorType = "collector";
    private volatile FrozenSet<string>? _registered;

    public bool IsLoaded => _registered is not null;

    public int Count => _registered?.Count ?? 0;

    /// <summary>Replaces the copy of the registry (one reference swap; readers never lock).</summary>
    public void Load(IEnumerable<string> deviceIds) => _registered = deviceIds.ToFrozenSet(StringComparer.Ordinal);

    public DecodeResult Admit(DecodeResult result)
    {
        if (options.Value.AutoRegister || result.Message is not { } message
            || (message.Device.Site == CollectorSite && message.Device.DeviceType == CollectorType))
        {
            return result;
        }

        // Not loaded yet cannot happen after start (the refresher loads before the pipeline runs); refuse rather than guess.
        return _registered?.Contains(message.Device.DeviceId) == true
            ? result
            : DecodeResult.Reject(RejectReason.UnknownDevice, $"device '{message.Device.DeviceId}' has no live credential in the registry (docs/broker-identity.md)");
    }
}

/// <summary>Loads the registry's live device ids at start (before the pipeline) and every <c>Ioc:Devices:RefreshInterval</c>.</summary>
public sealed partial class DeviceRegistryRefresher(
    DeviceAdmission admission,
    IOperationalStore store,
    IOptions<DeviceRegistryOptions> options,
    TimeProvider time,
    ILogger<DeviceRegistryRefresher> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.AutoRegister)
        {
            await store.MigrateAsync(cancellationToken);
            await RefreshAsync(cancellationToken);
        }

        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.AutoRegister)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.RefreshInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Keep the last copy: a registry briefly unreachable must not turn every device away.
                Log.RefreshFailed(logger, ex);
            }
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var live = await store.DeviceCredentials.ListActiveHashesAsync(cancellationToken);
        if (live.Count > options.Value.MaxDevices)
        {
            throw new InvalidOperationException($"The registry holds {live.Count} devices, more than {DeviceRegistryOptions.SectionName}:MaxDevices ({options.Value.MaxDevices}): raise it.");
        }

        admission.Load(live.Select(c => c.Credential.DeviceId));
        Log.Loaded(logger, admission.Count);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Device registry loaded: {Count} live device(s)")]
        public static partial void Loaded(ILogger logger, int count);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Could not reload the device registry; keeping the previous copy")]
        public static partial void RefreshFailed(ILogger logger, Exception exception);
    }
}
