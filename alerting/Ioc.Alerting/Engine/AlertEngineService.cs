using System.Diagnostics;
using Ioc.Alerting.Election;
using Ioc.Alerting.Hosting;
using Ioc.Contract.Model;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ioc.Alerting.Engine;

/// <summary>
/// Runs the engine: drains the intake channel (single messages and the collector's runs, each message in order) and ticks at <see cref="AlertingOptions.TickInterval"/>,
/// both on one loop. It starts only once this process is the active evaluator (<see cref="IEvaluatorGate"/>): a
/// standby loads no state and writes nothing. On shutdown it stops intake and evaluates what is already queued.
/// </summary>
public sealed class AlertEngineService(AlertEngine engine, AlertIntake intake, IEvaluatorGate gate, AlertingOptions options, TimeProvider time, ILogger<AlertEngineService> logger, AlertingMetrics? metrics = null)
    : BackgroundService
{
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
        intake.Complete();
        await base.StopAsync(cancellationToken);
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
        while (true)
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
                for (var taken = 0; taken < 4096 && !stoppingToken.IsCancellationRequested && intake.TryRead(out var item); taken += item.Count)
                {
                    await EvaluateAsync(item, CancellationToken.None);
                }
            }
        }

        // Drain what was accepted before shutdown, then let the last device write finish.
        while (intake.TryRead(out var item))
        {
            await EvaluateAsync(item, CancellationToken.None);
        }

        try
        {
            await engine.FlushAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.TickFailed(logger, ex);
        }
    }

    private async Task EvaluateAsync(IntakeItem item, CancellationToken cancellationToken)
    {
        if (item.Run is { } run)
        {
            // A run from the collector's batcher: in order, then its pooled array goes back.
            try
            {
                for (var i = 0; i < item.Count; i++)
                {
                    await EvaluateAsync(run[i], cancellationToken);
                }
            }
            finally
            {
                item.Release();
            }

            return;
        }

        var message = item.Message!;
        await EvaluateAsync(message, cancellationToken);

        try
        {
            await item.AcknowledgeAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The broker redelivers an unacknowledged message on the next connection; its alert is deduplicated then.
            Log.AcknowledgeFailed(logger, ex, message.Device.ToString());
        }
    }

    private async ValueTask EvaluateAsync(DecodedMessage message, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await engine.ProcessAsync(message, cancellationToken);
            metrics?.MessageEvaluated(started);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.EvaluationFailed(logger, ex, message.Device.ToString());
        }
    }

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
