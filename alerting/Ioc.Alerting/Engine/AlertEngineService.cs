using System.Diagnostics;
using Ioc.Alerting.Election;
using Ioc.Alerting.Hosting;
using Ioc.Contract.Model;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ioc.Alerting.Engine;

/// <summary>
/// Runs the engine: drains the intake channel (single messages and the collector's runs, each message in order) and ticks at <see cref="AlertingOptions.TickInterval"/>,
/// both on one loop. It starts only once this process is the active evaluator (<see cref="IEvaluatorGate"/>): a
/// standby loads no state and writes nothing. On shutdown it stops intake and evaluates what is already queued, within
/// the host's shutdown timeout (less a margin, <see cref="DrainBudget"/>), stopping at the first store failure; what it
/// could not evaluate or store is logged with its count.
/// </summary>
public sealed class AlertEngineService(AlertEngine engine, AlertIntake intake, IEvaluatorGate gate, AlertingOptions options, TimeProvider time, ILogger<AlertEngineService> logger, AlertingMetrics? metrics = null, IOptions<HostOptions>? hostOptions = null)
    : BackgroundService
{
    // Fires a little before the host gives up on stopping (never before the stop): the store writes of the drain take it.
    private readonly CancellationTokenSource _drain = new();
    private volatile bool _stopping;
    private Exception? _drainFailure;

    /// <summary>
    /// How long the drain may take once stop begins: the host's shutdown timeout less a tenth of it (at most 3 s) for the
    /// last device write and the other services, so 27 s of the default 30 s.
    /// </summary>
    public static TimeSpan DrainBudget(TimeSpan shutdownTimeout) =>
        shutdownTimeout == Timeout.InfiniteTimeSpan ? shutdownTimeout
        : shutdownTimeout <= TimeSpan.Zero ? TimeSpan.Zero
        : shutdownTimeout - TimeSpan.FromTicks(Math.Min(shutdownTimeout.Ticks / 10, TimeSpan.FromSeconds(3).Ticks));

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // A single evaluator loads its state before the host starts (a bad store stops the start); a standby does so
        // when it takes over.
        if (gate.IsActive)
        {
            await engine.InitializeAsync(cancellationToken);
        }

        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        intake.Complete();
        if (DrainBudget(hostOptions?.Value.ShutdownTimeout ?? TimeSpan.FromSeconds(30)) is var budget && budget != Timeout.InfiniteTimeSpan)
        {
            _drain.CancelAfter(budget);
        }

        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _drain.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await gate.WaitUntilActiveAsync(stoppingToken);
            await engine.InitializeAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.TickInterval, time);
        var tickTask = timer.WaitForNextTickAsync(stoppingToken).AsTask();
        Task<bool>? readTask = null;
        var notEvaluated = 0;
        while (_drainFailure is null)
        {
            readTask ??= intake.WaitToReadAsync(stoppingToken).AsTask();
            await Task.WhenAny(readTask, tickTask);
            if (tickTask.IsCompleted)
            {
                if (!tickTask.IsCompletedSuccessfully || !tickTask.Result)
                {
                    break;
                }

                await TickSafelyAsync(stoppingToken);
                tickTask = timer.WaitForNextTickAsync(stoppingToken).AsTask();
            }

            if (readTask.IsCompleted)
            {
                if (!readTask.IsCompletedSuccessfully || !readTask.Result)
                {
                    break;
                }

                readTask = null;

                // A bounded burst (in messages), so ticks are not starved under load. An item taken is evaluated whole
                // even when stopping meanwhile (a run is at most 256 messages, no longer in the intake): stopping ends
                // the burst between items, and the drain below evaluates the rest.
                for (var taken = 0; taken < 4096 && _drainFailure is null && !stoppingToken.IsCancellationRequested && intake.TryRead(out var item); taken += item.Count)
                {
                    notEvaluated += await EvaluateAsync(item, _drain.Token);
                }
            }
        }

        // Drain what was accepted before shutdown (until the store fails or the time runs out), store the signals a store
        // error parked, then let the last device write finish.
        while (intake.TryRead(out var item))
        {
            if (_drainFailure is not null)
            {
                notEvaluated += item.Count;
                item.Release();
                continue;
            }

            notEvaluated += await EvaluateAsync(item, _drain.Token);
        }

        try
        {
            if (_drainFailure is null)
            {
                await engine.ApplyParkedAsync(_drain.Token);
                await engine.FlushAsync(_drain.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException || IsStoreFailure(ex))
        {
            _drainFailure = ex;
        }
        catch (Exception ex)
        {
            Log.TickFailed(logger, ex);
        }

        if (_drainFailure is not null)
        {
            Log.DrainStopped(logger, _drainFailure, _drainFailure is OperationCanceledException ? "the shutdown time ran out" : "the store failed", notEvaluated, engine.ParkedSignals);
        }
    }

    /// <summary>Evaluates an item; returns how many of its messages were not evaluated (only when the drain stops at a store failure).</summary>
    private async Task<int> EvaluateAsync(IntakeItem item, CancellationToken cancellationToken)
    {
        if (item.Run is { } run)
        {
            // A run from the collector's batcher: in order, then its pooled array goes back.
            try
            {
                for (var i = 0; i < item.Count; i++)
                {
                    if (!await EvaluateAsync(run[i], cancellationToken))
                    {
                        return item.Count - i - 1;
                    }
                }
            }
            finally
            {
                item.Release();
            }

            return 0;
        }

        var message = item.Message!;
        if (!await EvaluateAsync(message, cancellationToken))
        {
            // Not acknowledged: the broker redelivers it on the next connection.
            return 0;
        }

        try
        {
            await item.AcknowledgeAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The broker redelivers an unacknowledged message on the next connection; its alert is deduplicated then.
            Log.AcknowledgeFailed(logger, ex, message.Device.ToString());
        }

        return 0;
    }

    /// <summary>False when stopping and the store failed or the drain's time ran out: the drain stops there.</summary>
    private async ValueTask<bool> EvaluateAsync(DecodedMessage message, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await engine.ProcessAsync(message, cancellationToken);
            metrics?.MessageEvaluated(started);
        }
        catch (Exception ex) when (_stopping && (ex is OperationCanceledException || IsStoreFailure(ex)))
        {
            _drainFailure = ex;
            return false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.EvaluationFailed(logger, ex, message.Device.ToString());
        }

        return true;
    }

    private static bool IsStoreFailure(Exception ex) =>
        ex is System.Data.Common.DbException or TimeoutException || (ex.InnerException is { } inner && IsStoreFailure(inner));

    private async Task TickSafelyAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await engine.TickAsync(cancellationToken);
            metrics?.TickEvaluated(started);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped during a tick: the loop ends on its next wait and what is queued is still drained.
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.TickFailed(logger, ex);
        }
    }
}
