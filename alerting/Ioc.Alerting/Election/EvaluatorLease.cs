using Ioc.Storage.Operational;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ioc.Alerting.Election;

/// <summary>
/// Holds the evaluator lease in the operational store, so that among several collector processes exactly one evaluates
/// the rules. A standby tries to take the lease every <see cref="EvaluatorOptions.RenewInterval"/>; it gets it when the
/// holder releases it (a clean stop) or lets it expire (a crash: at most <see cref="EvaluatorOptions.LeaseTtl"/>). The
/// store's clock decides expiry, so the processes' clocks do not matter. A holder that can no longer renew before its
/// lease runs out stops its process with a non-zero exit code rather than risk a second writer; it comes back as a
/// standby. Registered before the engine, so it stops after the engine has drained, and then releases the lease at once.
/// </summary>
public sealed class EvaluatorLease(
    ILeaseStore leases,
    EvaluatorOptions options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<EvaluatorLease> logger) : BackgroundService, IEvaluatorGate
{
    private readonly TaskCompletionSource _active = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _lost;

    public bool IsActive => _active.Task.IsCompletedSuccessfully && !_lost;

    /// <summary>When this process became the active evaluator; null while it is a standby.</summary>
    public DateTimeOffset? ActiveSince { get; private set; }

    public string Holder => options.EffectiveHolder;

    public async Task WaitUntilActiveAsync(CancellationToken cancellationToken) => await _active.Task.WaitAsync(cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var holder = options.EffectiveHolder;
        var started = time.GetTimestamp();
        var announcedStandby = false;
        try
        {
            while (!await TryTakeAsync(holder, stoppingToken))
            {
                if (!announcedStandby && await leases.GetAsync(options.LeaseName, stoppingToken) is { } current)
                {
                    Log.LeaseStandby(logger, options.LeaseName, current.Holder, current.ExpiresAt);
                    announcedStandby = true;
                }

                await Task.Delay(options.RenewInterval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        ActiveSince = time.GetUtcNow();
        Log.LeaseAcquired(logger, holder, options.LeaseName, (long)time.GetElapsedTime(started).TotalMilliseconds);
        _active.TrySetResult();

        var renewedAt = time.GetTimestamp();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.RenewInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            bool held;
            try
            {
                held = await leases.TryAcquireAsync(options.LeaseName, holder, options.Endpoint, options.LeaseTtl, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.LeaseRenewFailed(logger, options.LeaseName, ex.Message);
                // Still ours until the last renewal's expiry; give up one renewal interval before it.
                held = time.GetElapsedTime(renewedAt) < options.LeaseTtl - options.RenewInterval;
                if (held)
                {
                    continue;
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }

            if (held)
            {
                renewedAt = time.GetTimestamp();
                continue;
            }

            _lost = true;
            Log.LeaseLost(logger, options.LeaseName, holder);
            Environment.ExitCode = 3;
            lifetime.StopApplication();
            return;
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_active.Task.IsCompletedSuccessfully && !_lost)
        {
            try
            {
                // The engine has drained (it stopped before this service): let the standby take over at once.
                await leases.ReleaseAsync(options.LeaseName, options.EffectiveHolder, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.LeaseRenewFailed(logger, options.LeaseName, ex.Message);
            }
        }
    }

    private async Task<bool> TryTakeAsync(string holder, CancellationToken cancellationToken)
    {
        try
        {
            return await leases.TryAcquireAsync(options.LeaseName, holder, options.Endpoint, options.LeaseTtl, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.LeaseTryFailed(logger, options.LeaseName, ex.Message);
            return false;
        }
    }
}
