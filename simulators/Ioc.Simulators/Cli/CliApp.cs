using System.Globalization;
using Ioc.Simulators.Fleet;
using Ioc.Simulators.Generation;
using Ioc.Simulators.Publishing;
using Ioc.Simulators.Scenarios;
using Microsoft.Extensions.Logging;

namespace Ioc.Simulators.Cli;

/// <summary>The <c>ioc-sim</c> command: run, dry-run, write a fleet file, list scenarios.</summary>
public sealed class CliApp(TextWriter output, TextWriter error, TimeProvider time, ILoggerFactory loggers)
{
    public const int Ok = 0;
    public const int Usage = 2;
    public const int BrokerUnreachable = 3;
    public const int PublishFailures = 4;

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        CliOptions options;
        try
        {
            options = CliOptions.Parse(args);
        }
        catch (FormatException ex)
        {
            await error.WriteLineAsync("ioc-sim: " + ex.Message);
            return Usage;
        }

        try
        {
            return options.Command switch
            {
                CliCommand.Help => await HelpAsync(),
                CliCommand.Scenarios => await ListScenariosAsync(),
                CliCommand.Fleet => await WriteFleetAsync(options),
                CliCommand.Sites => await WriteSitesAsync(options),
                _ when options.DryRun => await DryRunAsync(options, cancellationToken),
                _ => await PublishAsync(options, cancellationToken),
            };
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidDataException or FileNotFoundException or FormatException)
        {
            await error.WriteLineAsync("ioc-sim: " + ex.Message);
            return Usage;
        }
    }

    public static FleetDefinition LoadFleet(CliOptions options)
    {
        if (options.FleetFile is not null)
        {
            return FleetFile.Load(options.FleetFile, options.Seed);
        }

        var spec = options.ApsPerCommune is { } aps ? FleetSpec.HaiDuong with { MinApsPerCommune = aps, MaxApsPerCommune = aps } : FleetSpec.HaiDuong;
        return FleetGenerator.Generate(spec, options.Seed);
    }

    public static MessageGenerator CreateGenerator(CliOptions options, FleetDefinition fleet, DateTimeOffset start)
    {
        var timeline = new ScenarioTimeline(options.Scenarios.Select(s => ScenarioCatalog.Create(s, fleet, start, options.Seed)));
        return new MessageGenerator(
            fleet,
            new SimulationSettings { Seed = options.Seed, Start = start, IntervalScale = options.IntervalScale, HeartbeatInterval = options.Heartbeat },
            timeline);
    }

    private async Task<int> DryRunAsync(CliOptions options, CancellationToken cancellationToken)
    {
        var fleet = LoadFleet(options);
        var start = options.Start ?? time.GetUtcNow() - options.Backfill;
        var generator = CreateGenerator(options, fleet, start);
        var end = options.Duration is { } d ? generator.Now + d : (options.Count is null ? generator.Now.AddMinutes(1) : DateTimeOffset.MaxValue);
        long written = 0;
        foreach (var message in generator.Until(end))
        {
            if (cancellationToken.IsCancellationRequested || (options.Count is { } max && written >= max))
            {
                break;
            }

            await output.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"{message.At:yyyy-MM-ddTHH:mm:ss.fffZ} {message.Topic}{(message.Retain ? " retain" : "")}{(message.Kind == SimMessageKind.Will ? " will" : "")} {Printable(message)}"));
            written++;
        }

        return Ok;
    }

    private async Task<int> PublishAsync(CliOptions options, CancellationToken cancellationToken)
    {
        var fleet = LoadFleet(options);
        var generator = CreateGenerator(options, fleet, time.GetUtcNow() - options.Backfill);
        var stats = new SimulatorStats();
        stats.Reset(fleet.Devices.Count);
        await error.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"ioc-sim: {fleet.Devices.Count} devices, {options.Mode} mode, {options.Broker.Host}:{options.Broker.Port}, nominal {generator.NominalRate:0} msg/s, rate limit {(options.Rate > 0 ? options.Rate.ToString("0", CultureInfo.InvariantCulture) : "none")}"));
        foreach (var scenario in generator.Scenarios.Scenarios)
        {
            await error.WriteLineAsync($"ioc-sim: scenario {scenario}");
        }

        await using IMessageSink sink = options.Mode == ConnectionMode.PerDevice
            ? new PerDeviceSink(fleet, options.Broker, logger: loggers.CreateLogger(Publishing.SimulatedDevices.LogCategory))
            : new MultiplexedSink(options.Broker, options.Connections, loggers.CreateLogger(Publishing.SimulatedDevices.LogCategory));
        var connectStarted = time.GetTimestamp();
        try
        {
            await sink.StartAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await error.WriteLineAsync($"ioc-sim: cannot connect to {options.Broker.Host}:{options.Broker.Port}: {ex.Message}");
            return BrokerUnreachable;
        }

        stats.Connections = sink.Connections;
        await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"ioc-sim: {sink.Connections} connections open in {time.GetElapsedTime(connectStarted).TotalSeconds:0.0} s"));

        var runner = new SimulationRunner(generator, sink, stats, time, options.Rate, loggers.CreateLogger<SimulationRunner>(), options.MaxInFlight);
        using var progressStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var started = time.GetTimestamp();
        var progress = options.Quiet ? Task.CompletedTask : ReportProgressAsync(stats, sink, started, progressStop.Token);
        try
        {
            await runner.RunAsync(new RunLimits(options.EffectiveDuration, options.Count), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("ioc-sim: interrupted");
        }

        var elapsed = time.GetElapsedTime(started);
        await progressStop.CancelAsync();
        await progress;
        var final = stats.Snapshot();
        await error.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"ioc-sim: done: {final.Sent} sent, {final.Failed} failed in {elapsed.TotalSeconds:0.0} s ({final.Sent / Math.Max(elapsed.TotalSeconds, 0.001):0} msg/s, {final.Bytes / Math.Max(elapsed.TotalSeconds, 0.001) / 1e6:0.0} MB/s), {final.DevicesOnline}/{final.Devices} devices online"));
        return final.Failed > 0 ? PublishFailures : Ok;
    }

    private async Task ReportProgressAsync(SimulatorStats stats, IMessageSink sink, long started, CancellationToken cancellationToken)
    {
        var lastSent = 0L;
        var lastAt = started;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var now = time.GetTimestamp();
                var snapshot = stats.Snapshot();
                var rate = (snapshot.Sent - lastSent) / Math.Max(time.GetElapsedTime(lastAt, now).TotalSeconds, 0.001);
                lastSent = snapshot.Sent;
                lastAt = now;
                await error.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"[{time.GetElapsedTime(started):mm\\:ss}] sent {snapshot.Sent,10:N0}  rate {rate,8:N0}/s  failed {snapshot.Failed:N0}  online {snapshot.DevicesOnline:N0}/{snapshot.Devices:N0}  connections {sink.Connections:N0}  sim {snapshot.SimulatedTime:yyyy-MM-dd HH:mm:ss}Z"));
            }
        }
        catch (OperationCanceledException)
        {
            // Run over.
        }
    }

    /// <summary>The fleet's sites with their names (the file <c>sites import</c> of the collector host reads).</summary>
    private async Task<int> WriteSitesAsync(CliOptions options)
    {
        var sites = FleetSites.Names(LoadFleet(options));
        var json = FleetSites.Serialize(sites);
        if (options.Output is null)
        {
            await output.WriteLineAsync(json);
        }
        else
        {
            await File.WriteAllTextAsync(options.Output, json);
            await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"ioc-sim: wrote {options.Output}: {sites.Count} sites"));
        }

        return Ok;
    }

    private async Task<int> WriteFleetAsync(CliOptions options)
    {
        var fleet = LoadFleet(options);
        var json = FleetFile.Serialize(fleet);
        if (options.Output is null)
        {
            await output.WriteLineAsync(json);
        }
        else
        {
            await File.WriteAllTextAsync(options.Output, json);
            var byType = string.Join(", ", fleet.Devices.GroupBy(d => d.Type).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"));
            await error.WriteLineAsync($"ioc-sim: wrote {options.Output}: {fleet.Districts.Count} districts, {fleet.Sites.Count} sites, {fleet.Devices.Count} devices ({byType})");
        }

        return Ok;
    }

    private async Task<int> ListScenariosAsync()
    {
        foreach (var scenario in ScenarioCatalog.All)
        {
            await output.WriteLineAsync($"{scenario.Name,-20} {scenario.Summary}");
            await output.WriteLineAsync($"{"",-20} parameters: {scenario.Parameters}");
        }

        return Ok;
    }

    private async Task<int> HelpAsync()
    {
        await output.WriteLineAsync(HelpText);
        return Ok;
    }

    private static string Printable(SimMessage message)
    {
        var text = message.PayloadText.Replace("\n", "\\n", StringComparison.Ordinal);
        return text.Any(char.IsControl) || text.Contains('\uFFFD', StringComparison.Ordinal)
            ? "0x" + Convert.ToHexString(message.Payload)
            : text;
    }

    public const string HelpText = """
        ioc-sim — simulated Hải Dương province for Ioc (docs/simulators.md)

        ioc-sim run [options]          publish to an MQTT broker (the default command)
        ioc-sim run --dry-run [...]    print the messages instead (simulated time, no waiting)
        ioc-sim fleet [--seed N] [--aps-per-commune N] [--out FILE]   write the fleet as a fleet file
        ioc-sim sites [--seed N] [--fleet FILE] [--out FILE]   write the fleet's sites with their names (for `sites import`)
        ioc-sim scenarios              list scenarios and their parameters
        
        Fleet      --fleet FILE  --seed N (42)  --aps-per-commune N
        Scenarios  --scenario name[@offset][,key=value]...   (repeatable; e.g. crac-failure@2m,row=B,duration=20m)
        Limits     --duration 10m | --count N    (neither: 1 minute)   --rate MSG_PER_S (5000; 0 = unbounded)
        Broker     --host 127.0.0.1  --port 1883  --username U  --password P (or IOC_SIM_PASSWORD)  --client-id-prefix ioc-sim
        Mode       --mode per-device|multiplexed  --connections N (4, multiplexed)  --max-in-flight N (1024)
        Signals    --interval-scale X (1.0)  --heartbeat 5m  --backfill 1h (start the clock in the past)  --start ISO (dry run)
        Output     --quiet  --out FILE
        """;
}
