using System.Diagnostics;
using Ioc.IntegrationTests.Infrastructure;
using Ioc.Simulators.Generation;
using Ioc.Simulators.Scenarios;

namespace Ioc.ScenarioTests.Shared;

/// <summary>
/// Plays the simulators' message generator through a real broker one simulated second at a time: it publishes the
/// second's messages (QoS 1, retained where the device would retain them), waits until the collector has received
/// them and the engine has taken every accepted one, then advances the shared fake clock by one second. The engine
/// therefore sees each message at its simulated arrival time, and a simulated hour takes seconds.
/// </summary>
public sealed class LockstepDriver : IAsyncDisposable
{
    /// <summary>Longest wait for one simulated second's messages to get through.</summary>
    private static readonly TimeSpan StepDeadline = TimeSpan.FromSeconds(10);

    /// <summary>No scenario run may publish more than this (a bound on every test, not a tuning knob).</summary>
    private const int MaxMessages = 50_000;

    private readonly AlertingCollectorHost _host;
    private readonly MessageGenerator _generator;
    private readonly Publisher _publisher;
    private readonly List<SimMessage> _step = [];
    private readonly List<Task> _publishes = [];

    private LockstepDriver(AlertingCollectorHost host, MessageGenerator generator, Publisher publisher)
    {
        _host = host;
        _generator = generator;
        _publisher = publisher;
    }

    public MessageGenerator Generator => _generator;

    /// <summary>Every message published so far, in order.</summary>
    public List<SimMessage> Published { get; } = [];

    /// <summary>Accepted messages the engine must have taken (everything but the deliberately malformed).</summary>
    public long ExpectedEvaluated { get; private set; }

    public DateTimeOffset Now => _generator.Now;

    public TimeSpan WaitTime { get; private set; }

    public static async Task<LockstepDriver> StartAsync(AlertingCollectorHost host, int brokerPort, params string[] scenarios)
    {
        var fleet = ScenarioFleet.Fleet;
        var start = ScenarioFleet.Start;
        var timeline = new ScenarioTimeline(scenarios.Select(s => ScenarioCatalog.Create(ScenarioSpec.Parse(s), fleet, start, ScenarioFleet.Seed)));
        var generator = new MessageGenerator(fleet, new SimulationSettings { Seed = ScenarioFleet.Seed, Start = start }, timeline);
        var publisher = await Publisher.ConnectAsync(brokerPort);
        return new LockstepDriver(host, generator, publisher);
    }

    /// <summary>Simulated time since the start.</summary>
    public TimeSpan Elapsed => _generator.Now - ScenarioFleet.Start;

    /// <summary>Plays the simulation until <paramref name="offset"/> after its start (exclusive).</summary>
    public async Task RunUntilAsync(TimeSpan offset)
    {
        var end = ScenarioFleet.Start + offset;
        while (_generator.Now < end)
        {
            await StepAsync();
        }
    }

    private async Task StepAsync()
    {
        if (_host.Time.GetUtcNow() != _generator.Now)
        {
            throw new InvalidOperationException($"clock {_host.Time.GetUtcNow():O} and simulation {_generator.Now:O} diverged");
        }

        _step.Clear();
        _generator.Step(_step);
        if (_step.Count > 0)
        {
            // PUBACKs are collected, not awaited per step: the collector's receipt (awaited below) already proves delivery.
            foreach (var message in _step)
            {
                _publishes.Add(_publisher.PublishAsync(message.Topic, message.Payload, message.Retain));
                if (message.Kind != SimMessageKind.Malformed)
                {
                    ExpectedEvaluated++;
                }
            }

            if (_publishes.Count >= 1000)
            {
                await DrainPublishesAsync();
            }

            Published.AddRange(_step);
            if (Published.Count > MaxMessages)
            {
                throw new InvalidOperationException($"the run published {Published.Count} messages, more than the bound of {MaxMessages}");
            }

            var t1 = Stopwatch.GetTimestamp();
            await CaughtUpAsync();
            WaitTime += Stopwatch.GetElapsedTime(t1);
        }

        _host.Time.Advance(TimeSpan.FromSeconds(1));
    }

    private async Task DrainPublishesAsync()
    {
        await Task.WhenAll(_publishes);
        _publishes.Clear();
    }

    /// <summary>Waits (with a deadline) until the collector received everything and the engine took every accepted message.</summary>
    private async Task CaughtUpAsync()
    {
        var engine = _host.Engine;
        var metrics = _host.Metrics;
        var started = Stopwatch.GetTimestamp();
        while (engine.Processed < ExpectedEvaluated || metrics.Accepted + metrics.RejectedTotal < Published.Count)
        {
            if (Stopwatch.GetElapsedTime(started) > StepDeadline)
            {
                throw new TimeoutException(
                    $"at {_generator.Now:O}: engine evaluated {engine.Processed} of {ExpectedEvaluated}, collector decoded {metrics.Accepted + metrics.RejectedTotal} of {Published.Count} within {StepDeadline}");
            }

            await Task.Delay(1);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DrainPublishesAsync();
        await _publisher.DisposeAsync();
    }
}
