using Ioc.Alerting.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ioc.Alerting.Engine;

/// <summary>
/// Runs the engine: drains the intake channel message by message and ticks at <see cref="AlertingOptions.TickInterval"/>,
/// both on one loop. On shutdown it stops intake and evaluates what is already queued.
/// </summary>
public sealed class AlertEngineService(AlertEngine engine, AlertIntake intake, AlertingOptions options, TimeProvider time, ILogger<AlertEngineService> logger)
    : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await engine.InitializeAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        intake.Complete();
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = intake.Reader;
        using var timer = new PeriodicTimer(options.TickInterval, time);
        var tickTask = timer.WaitForNextTickAsync(stoppingToken).AsTask();
        Task<bool>? readTask = null;
        while (true)
        {
            readTask ??= reader.WaitToReadAsync(stoppingToken).AsTask();
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

                // A bounded burst, so ticks are not starved under load.
                for (var i = 0; i < 4096 && reader.TryRead(out var message); i++)
                {
                    try
                    {
                        await engine.ProcessAsync(message, stoppingToken);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        Log.EvaluationFailed(logger, ex, message.Device.ToString());
                    }
                }
            }
        }

        // Drain what was accepted before shutdown, then let the last device write finish.
        while (reader.TryRead(out var message))
        {
            try
            {
                await engine.ProcessAsync(message, CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.EvaluationFailed(logger, ex, message.Device.ToString());
            }
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

    private async Task TickSafelyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await engine.TickAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.TickFailed(logger, ex);
        }
    }
}
