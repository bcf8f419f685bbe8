using System.Diagnostics;
using System.Globalization;
using System.Text;
using Ioc.IntegrationTests.Infrastructure;
using MQTTnet;

namespace Ioc.Bench;

/// <summary>
/// <c>-- peer [--messages N] [--drain N] [--runs R]</c>: the collector host as shipped (its own process: 4 connections, the
/// alert engine with the default rules, announcements on) against a Node-RED 4 flow (bench/peers/node-red: <c>mqtt in</c>
/// QoS 1 → <c>function</c> that batches → <c>node-red-contrib-influxdb</c> batch node), one after the other against the
/// same Mosquitto, the same InfluxDB and the same four <c>mosquitto_pub -q 1 -l</c> publishers. For each it prints the CPU
/// (user + system, /proc/PID/stat of the process tree) per stored message of the consumer, the broker and InfluxDB over the
/// window from the first publish to the last point queryable. Then the drain: messages queued while the collector is away,
/// drained into InfluxDB, against <c>mosquitto_sub -c -q 1</c> draining an identical queue.
/// </summary>
internal static class PeerBench
{
    private const string Measurement = "env-sensor";
    private const int Publishers = 4;

    /// <summary>Collector settings added on the command line (<c>--set Ioc:Collector:FlushWhenDrained=false</c>), for before/after figures.</summary>
    public static Dictionary<string, string> Overrides { get; } = [];

    /// <summary><c>--collector-only</c>: skip the Node-RED flow (before/after figures of the collector host alone, twice as many runs in the time).</summary>
    public static bool CollectorOnly { get; set; }

    /// <summary>
    /// <c>--baseline DIR</c>: instead of Node-RED, a second collector host built from other code
    /// (DIR/collector/Ioc.Collector.Host/bin/Release/net10.0, e.g. a copy of the build before a change), run in the same
    /// way against the same broker and InfluxDB; the order of the two alternates between runs. Before/after side by side.
    /// </summary>
    public static string? Baseline { get; set; }

    /// <summary><c>--baseline-set KEY=VALUE</c>: a setting for the baseline host only (e.g. the same build with a change switched off).</summary>
    public static Dictionary<string, string> BaselineOverrides { get; } = [];

    /// <summary><c>--floor</c>: after Node-RED, the floor consumer (<see cref="FloorConsumer"/>) at each of <see cref="FloorLevels"/>, before the collector host.</summary>
    public static bool Floor { get; set; }

    /// <summary><c>--floor-levels ack,decode,encode</c> (default all three).</summary>
    public static List<FloorLevel> FloorLevels { get; } = [FloorLevel.Ack, FloorLevel.Decode, FloorLevel.Encode];

    /// <summary><c>--floor-connections N</c>: the floor consumer's connections (default 4, as the bench's collector host).</summary>
    public static int FloorConnections { get; set; } = 4;

    /// <summary>
    /// <c>--floor-env KEY=VALUE</c> (repeatable): adds a row, the floor at level ack (or <see cref="FloorEnvironmentLevel"/>) with these variables in its environment
    /// (e.g. <c>DOTNET_gcServer=0</c>), beside the plain ack row of the same run.
    /// </summary>
    public static Dictionary<string, string> FloorEnvironment { get; } = [];

    /// <summary><c>--floor-env-level L</c>: the level of the <c>--floor-env</c> row (default ack).</summary>
    public static FloorLevel FloorEnvironmentLevel { get; set; } = FloorLevel.Ack;

    /// <summary><c>--floor-env-level all</c>: no extra row; every floor row runs with <c>--floor-env</c> (beside a collector host given the same variables with <c>--set</c>).</summary>
    public static bool FloorEnvironmentEverywhere { get; set; }

    /// <summary><c>--warmup steady</c> (default): warm-up rounds until the consumer's CPU per message settles; <c>--warmup fixed</c>: 10 % of <c>--messages</c> (at most 10,000), as before.</summary>
    public static bool SteadyWarmUp { get; set; } = true;

    /// <summary><c>--warmup-round N</c>: messages per warm-up round (default 20,000; 5,000 per publisher).</summary>
    public static int WarmUpRound { get; set; } = 20_000;

    /// <summary>Two successive warm-up rounds within this fraction of each other: settled.</summary>
    private const double SettleTolerance = 0.10;

    private const int MaxWarmUpRounds = 16;

    /// <summary>The .NET runtime's tiered-compilation background worker, as <c>/proc/…/task/…/comm</c> shows it (15 characters).</summary>
    private const string TieredCompilationThread = ".NET Tiered Com";

    private static readonly TimeSpan MaxWarmUp = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Above this, <c>mosquitto_pub -l -q 1</c> loses messages (measured: 100,000 lines to one publisher delivered 34,467),
    /// so a run would stall waiting for messages that were never sent. Four publishers share the messages.
    /// </summary>
    public const int MaxMessages = 200_000;

    public static async Task<int> RunAsync(int messages, int drain, int runs)
    {
        if (messages > MaxMessages || drain > MaxMessages)
        {
            Console.Error.WriteLine($"peer: --messages and --drain may be at most {MaxMessages:N0} (were {messages:N0} and {drain:N0}): each of the {Publishers} mosquitto_pub -q 1 -l publishers loses messages above about 50,000 lines (measured: 100,000 lines → 34,467 delivered), and the run would wait for messages never sent. Use --runs for more samples.");
            return 2;
        }

        // The floor rows of one run are 1,000,000 sequence numbers apart: the window and every warm-up round must fit.
        if (WarmUpRound < 1_000 || MaxMessages + (long)MaxWarmUpRounds * WarmUpRound > 1_000_000)
        {
            Console.Error.WriteLine($"peer: --warmup-round must be between 1,000 and {(1_000_000 - MaxMessages) / MaxWarmUpRounds:N0} (was {WarmUpRound:N0}): {MaxWarmUpRounds} rounds and a window of up to {MaxMessages:N0} must fit in the 1,000,000 sequence numbers of a floor row");
            return 2;
        }

        var nodeRed = CollectorOnly || Baseline is not null ? null : await NodeRedInstall.EnsureAsync();
        Console.WriteLine($"== peer: {messages:N0} QoS 1 messages from {Publishers} mosquitto_pub -q 1 -l, live into InfluxDB; then {drain:N0} drained; {runs} run(s), medians");
        Console.WriteLine(SteadyWarmUp
            ? $"   warm-up per consumer: rounds of {WarmUpRound:N0} until two successive rounds' CPU-µs/msg are within {SettleTolerance:P0} and a .NET consumer's tiered-compilation thread took ≤ {SettleTolerance:P0} of the last (at most {MaxWarmUpRounds} rounds or {MaxWarmUp.TotalSeconds:F0} s), then the window"
            : $"   warm-up per consumer: {Math.Min(10_000, messages / 10):N0} messages (--warmup fixed), then the window");
        (FloorLoop.Step Decode, FloorLoop.Step Encode)? alone = null;
        if (Floor)
        {
            alone = FloorLoop.Measure(200_000);
            if (FloorEnvironmentEverywhere)
            {
                Console.WriteLine($"   every floor row runs with {string.Join(", ", FloorEnvironment.Select(kv => $"{kv.Key}={kv.Value}"))}");
            }

            Console.WriteLine($"   the floor's two steps alone on one thread (200,000 bench messages, median of 3 rounds): decode {alone.Value.Decode.CpuNs / 1000:F2} CPU-µs/msg on the thread, {alone.Value.Decode.ProcessNs / 1000:F2} in the process (with the GC's threads; {alone.Value.Decode.Bytes:F0} B allocated), PointData {alone.Value.Encode.CpuNs / 1000:F2} on the thread, {alone.Value.Encode.ProcessNs / 1000:F2} in the process ({alone.Value.Encode.Bytes:F0} B)");
        }

        var rows = new List<Row>();
        for (var run = 1; run <= runs; run++)
        {
            rows.Add(await RunOnceAsync(nodeRed, messages, drain, run));
        }

        Console.WriteLine();
        if (Baseline is not null)
        {
            Console.WriteLine($"   median baseline {Median(rows, r => r.NodeRed!.ConsumerUs):F1} CPU-µs/msg, this build {Median(rows, r => r.Collector.ConsumerUs):F1} CPU-µs/msg: this/baseline = {Median(rows, r => r.Collector.ConsumerUs / r.NodeRed!.ConsumerUs):F2}; broker {Median(rows, r => r.NodeRed!.BrokerUs):F1} / {Median(rows, r => r.Collector.BrokerUs):F1}; influxd {Median(rows, r => r.NodeRed!.InfluxUs):F1} / {Median(rows, r => r.Collector.InfluxUs):F1}; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        }
        else if (CollectorOnly)
        {
            Console.WriteLine($"   median collector {Median(rows, r => r.Collector.ConsumerUs):F1} CPU-µs/msg (broker {Median(rows, r => r.Collector.BrokerUs):F1}, influxd {Median(rows, r => r.Collector.InfluxUs):F1}); live rate {Median(rows, r => r.Collector.Rate):N0} msg/s; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        }
        else
        {
            Console.WriteLine($"   median collector {Median(rows, r => r.Collector.ConsumerUs):F1} CPU-µs/msg, Node-RED {Median(rows, r => r.NodeRed!.ConsumerUs):F1} CPU-µs/msg: collector/Node-RED = {Median(rows, r => r.Collector.ConsumerUs / r.NodeRed!.ConsumerUs):F2} (target ≤ 0.25)");
            Console.WriteLine($"   median live rate collector {Median(rows, r => r.Collector.Rate):N0} msg/s, Node-RED {Median(rows, r => r.NodeRed!.Rate):N0} msg/s (bounded by the publishers)");
        }

        if (Floor)
        {
            PrintFloorMedians(rows);
            Console.WriteLine($"     alone on one thread: decode {alone!.Value.Decode.CpuNs / 1000:F2} ({alone.Value.Decode.ProcessNs / 1000:F2} with the GC), PointData {alone.Value.Encode.CpuNs / 1000:F2} ({alone.Value.Encode.ProcessNs / 1000:F2} with the GC) CPU-µs/msg");
        }

        if (drain > 0)
        {
            Console.WriteLine($"   median drain: collector host {Median(rows, r => r.DrainRate):N0} msg/s at {Median(rows, r => r.DrainUs):F1} CPU-µs/msg; mosquitto_sub -c -q 1 {Median(rows, r => r.SubRate):N0} msg/s: {Median(rows, r => r.DrainRate / r.SubRate):P0} (target ≥ 80 %)");
        }

        return 0;
    }

    private static double Median(List<Row> rows, Func<Row, double> pick) => BenchCommand.Median(rows.Select(pick));

    private sealed record Live(double Rate, double ConsumerUs, double BrokerUs, double InfluxUs);

    private sealed record Row(Live Collector, Live? NodeRed, double DrainRate, double DrainUs, double SubRate)
    {
        /// <summary>The floor consumer's rows of this run (<c>--floor</c>), by name: "floor ack", "floor decode", "floor encode", "floor ack +env" (the <c>--floor-env</c> row).</summary>
        public Dictionary<string, Live> Floors { get; init; } = [];
    }

    private static string FloorName(FloorLevel level) => $"floor {level.ToString().ToLowerInvariant()}";

    private static string FloorEnvName => $"{FloorName(FloorEnvironmentLevel)} +env";

    /// <summary>The rows of one run side by side, and what each step adds to the one before.</summary>
    private static void PrintFloorTable(Live? nodeRed, Live collector, Dictionary<string, Live> floors)
    {
        Console.WriteLine($"     {"consumer",-16} {"msg/s",9} {"CPU-µs/msg",11} {"broker µs/msg",14}");
        foreach (var (name, live) in FloorRows(nodeRed, collector, floors))
        {
            Console.WriteLine($"     {name,-16} {live.Rate,9:N0} {live.ConsumerUs,11:F1} {live.BrokerUs,14:F1}");
        }

        Console.WriteLine($"     {Decomposition(n => floors.TryGetValue(n, out var l) ? l.ConsumerUs : null, collector.ConsumerUs, nodeRed?.ConsumerUs)}");
    }

    private static IEnumerable<(string Name, Live Live)> FloorRows(Live? nodeRed, Live collector, Dictionary<string, Live> floors)
    {
        if (nodeRed is not null)
        {
            yield return (Baseline is null ? "Node-RED 4 flow" : "baseline host", nodeRed);
        }

        yield return ("collector host", collector);
        foreach (var (name, live) in floors)
        {
            yield return (name, live);
        }
    }

    /// <summary>"ack 9.1 + decode 2.0 + PointData 3.2 + rest of the collector 20.1 = 34.4 CPU-µs/msg; floor ack / Node-RED 0.25".</summary>
    private static string Decomposition(Func<string, double?> floor, double collector, double? nodeRed)
    {
        var ack = floor(FloorName(FloorLevel.Ack));
        var decode = floor(FloorName(FloorLevel.Decode));
        var encode = floor(FloorName(FloorLevel.Encode));
        var parts = new List<string>();
        if (ack is { } a)
        {
            parts.Add($"MQTTnet receive + ack {a:F1}");
        }

        if (decode is { } d)
        {
            parts.Add($"decode {(ack is { } a2 ? d - a2 : d):F1}");
        }

        if (encode is { } e)
        {
            parts.Add($"PointData {(decode is { } d2 ? e - d2 : e):F1}");
        }

        var deepest = encode ?? decode ?? ack;
        if (deepest is { } deep)
        {
            parts.Add($"rest of the collector {collector - deep:F1}");
        }

        var text = $"{string.Join(" + ", parts)} = collector {collector:F1} CPU-µs/msg";
        if (floor(FloorEnvName) is { } env && floor(FloorName(FloorEnvironmentLevel)) is { } plain)
        {
            text += $"; {FloorEnvironmentLevel.ToString().ToLowerInvariant()} with {string.Join(", ", FloorEnvironment.Select(kv => $"{kv.Key}={kv.Value}"))}: {env:F1} ({Math.Round(env - plain, 1):+0.0;-0.0;0.0})";
        }

        if (nodeRed is { } red && ack is { } floorAck && Baseline is null)
        {
            text += $"; floor ack / Node-RED {floorAck / red:F2}, ¼ of Node-RED = {red / 4:F1}";
        }

        return text;
    }

    private static void PrintFloorMedians(List<Row> rows)
    {
        var names = rows.SelectMany(r => r.Floors.Keys).Distinct().ToList();
        Console.WriteLine($"   medians over {rows.Count} run(s), load average {File.ReadAllText("/proc/loadavg").Trim()}:");
        Console.WriteLine($"     {"consumer",-16} {"msg/s",9} {"CPU-µs/msg",11} {"broker µs/msg",14}");
        if (rows.All(r => r.NodeRed is not null))
        {
            Console.WriteLine($"     {(Baseline is null ? "Node-RED 4 flow" : "baseline host"),-16} {Median(rows, r => r.NodeRed!.Rate),9:N0} {Median(rows, r => r.NodeRed!.ConsumerUs),11:F1} {Median(rows, r => r.NodeRed!.BrokerUs),14:F1}");
        }

        Console.WriteLine($"     {"collector host",-16} {Median(rows, r => r.Collector.Rate),9:N0} {Median(rows, r => r.Collector.ConsumerUs),11:F1} {Median(rows, r => r.Collector.BrokerUs),14:F1}");
        foreach (var name in names)
        {
            var with = rows.Where(r => r.Floors.ContainsKey(name)).ToList();
            Console.WriteLine($"     {name,-16} {Median(with, r => r.Floors[name].Rate),9:N0} {Median(with, r => r.Floors[name].ConsumerUs),11:F1} {Median(with, r => r.Floors[name].BrokerUs),14:F1}");
        }

        double? MedianOf(string name) => names.Contains(name) ? Median(rows.Where(r => r.Floors.ContainsKey(name)).ToList(), r => r.Floors[name].ConsumerUs) : null;
        double? red = rows.All(r => r.NodeRed is not null) ? Median(rows, r => r.NodeRed!.ConsumerUs) : null;
        Console.WriteLine($"     medians: {Decomposition(MedianOf, Median(rows, r => r.Collector.ConsumerUs), red)}");
        if (red is not null && names.Contains(FloorName(FloorLevel.Ack)) && Baseline is null)
        {
            Console.WriteLine($"     median of the per-run ratio floor ack / Node-RED: {Median(rows.Where(r => r.Floors.ContainsKey(FloorName(FloorLevel.Ack))).ToList(), r => r.Floors[FloorName(FloorLevel.Ack)].ConsumerUs / r.NodeRed!.ConsumerUs):F2} (the collector's target is ≤ 0.25)");
        }
    }

    /// <summary>
    /// The floor consumer at each level, one after the other, against the same broker and publishers as the hosts, with
    /// the same warm-up; complete when the child has counted the messages. Its sessions are ended after each row.
    /// </summary>
    private static async Task<Dictionary<string, Live>> FloorLiveAsync(int brokerPort, int brokerPid, int influxPid, int messages, int run)
    {
        var floors = new Dictionary<string, Live>();
        var rows = FloorLevels.Select(l => (Name: FloorName(l), Level: l, Environment: FloorEnvironmentEverywhere ? FloorEnvironment : (IReadOnlyDictionary<string, string>?)null)).ToList();
        if (FloorEnvironment.Count > 0 && !FloorEnvironmentEverywhere)
        {
            rows.Add((FloorEnvName, FloorEnvironmentLevel, FloorEnvironment));
        }

        var index = 0;
        foreach (var (name, level, environment) in rows)
        {
            var floor = await FloorProcess.StartAsync(brokerPort, FloorConnections, level, environment);
            try
            {
                await Wait.UntilAsync(async () =>
                {
                    await MosquittoPub.PublishAsync(brokerPort, $"ioc/v1/dc-tinh/{Measurement}/PROBE/telemetry", Line(0));
                    for (var i = 0; i < 10; i++)
                    {
                        if (await floor.CountAsync() > 0)
                        {
                            return true;
                        }

                        await Task.Delay(100);
                    }

                    return false;
                }, TimeSpan.FromSeconds(60), $"probe counted by {name}");
                floors[name] = await LiveAsync(name, floor.ProcessId, brokerPid, influxPid, brokerPort, floor.CountAsync, messages, 5_000_000 * run + 1_000_000 * index++);
                if (floor.Last.Rejected > 0)
                {
                    throw new InvalidOperationException($"{name}: the decoder refused {floor.Last.Rejected:N0} bench messages: {floor.Errors}");
                }
            }
            finally
            {
                await floor.DisposeAsync();
                await ForgetSessionsAsync(brokerPort, FloorConsumer.ClientPrefix);
            }
        }

        return floors;
    }

    private static async Task<Row> RunOnceAsync(NodeRedInstall? nodeRed, int messages, int drain, int run)
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var influx = await InfluxDbServer.StartAsync();
        var brokerPid = ProcessCpu.ChildNamed("mosquitto") ?? throw new InvalidOperationException("mosquitto pid not found");
        var influxPid = ProcessCpu.ChildNamed("influxd") ?? throw new InvalidOperationException("influxd pid not found");
        var folder = Directory.CreateTempSubdirectory("ioc-peer-").FullName;
        try
        {
            Console.WriteLine();
            Console.WriteLine($"   run {run}");

            // Node-RED first: its clean session ends with it, while the collector's persistent sessions would keep its messages.
            Live? redLive = null;
            if (nodeRed is not null)
            {
                await CreateDatabaseAsync(influx, "nodered");
                var red = await nodeRed.StartAsync(folder, broker.Port, influx.Port, "nodered");
                try
                {
                    await ProbeAsync(broker.Port, influx, "nodered");
                    redLive = await LiveAsync("Node-RED 4 flow", red.Id, brokerPid, influxPid, broker.Port, influx, "nodered", messages, 1_000_000 * run);
                }
                finally
                {
                    red.Kill(entireProcessTree: true);
                    await red.WaitForExitAsync();
                    red.Dispose();
                }
            }

            // The floor before the hosts: the collector's persistent sessions would queue the floor's messages and change its drain.
            var floors = Floor ? await FloorLiveAsync(broker.Port, brokerPid, influxPid, messages, run) : [];

            Live collectorLive;
            if (Baseline is { } baseline)
            {
                // Alternate which build goes first: the first one's persistent sessions keep queueing during the second.
                var first = run % 2 == 1;
                if (first)
                {
                    redLive = await BaselineLiveAsync(baseline, broker.Port, influx, folder, brokerPid, influxPid, messages, run);
                }

                collectorLive = await CollectorLiveAsync(broker.Port, influx, folder, brokerPid, influxPid, messages, run);
                if (!first)
                {
                    redLive = await BaselineLiveAsync(baseline, broker.Port, influx, folder, brokerPid, influxPid, messages, run);
                }
            }
            else
            {
                collectorLive = await CollectorLiveAsync(broker.Port, influx, folder, brokerPid, influxPid, messages, run);
            }

            if (Floor)
            {
                PrintFloorTable(redLive, collectorLive, floors);
            }

            if (drain == 0)
            {
                return new Row(collectorLive, redLive, 0, 0, 1) { Floors = floors };
            }

            // The drain: the collector's sessions and mosquitto_sub's hold the same queue.
            const string sub = "bench-mosquitto-sub";
            await RunAsync("/usr/bin/mosquitto_sub", $"-h 127.0.0.1 -p {broker.Port} -c -q 1 -i {sub} -t ioc/v1/+/{Measurement}/+/telemetry -W 1", allowFailure: true);
            await PublishAsync(broker.Port, drain, 3_000_000 * run);
            var started = Stopwatch.GetTimestamp();
            await RunAsync("/bin/sh", $"-c \"/usr/bin/mosquitto_sub -h 127.0.0.1 -p {broker.Port} -c -q 1 -i {sub} -t 'ioc/v1/+/{Measurement}/+/telemetry' -C {drain} > /dev/null\"");
            var subRate = drain / Stopwatch.GetElapsedTime(started).TotalSeconds;

            var drained = await HostProcess.StartCollectorAsync("collector-drain", Settings(broker.Port, influx, folder, "drain"));
            try
            {
                // Timed from the first point queryable, so the host's start-up is not in the figure.
                long first = 0;
                await Wait.UntilAsync(async () => (first = await CountAsync(influx, "drain")) > 0, TimeSpan.FromMinutes(3), "first drained point");
                var window = CpuWindow.Start(("collector", drained.ProcessId), ("broker", brokerPid), ("influxd", influxPid));
                var from = Stopwatch.GetTimestamp();
                try
                {
                    await Wait.UntilAsync(async () => await CountAsync(influx, "drain") >= drain, TimeSpan.FromMinutes(5), "collector drained");
                }
                catch (TimeoutException)
                {
                    using var http = new HttpClient();
                    Console.WriteLine($"     drain stalled at {await CountAsync(influx, "drain"):N0} of {drain:N0}; /healthz: {await http.GetStringAsync($"{drained.BaseUrl}/healthz")}");
                    Console.WriteLine(drained.Output[Math.Max(0, drained.Output.Length - 4000)..]);
                    throw;
                }
                var seconds = Stopwatch.GetElapsedTime(from).TotalSeconds;
                var cpu = window.PerMessage(drain - first);
                var rate = (drain - first) / seconds;
                Console.WriteLine($"     drain {drain:N0}: collector host {rate,9:N0} msg/s, {cpu["collector"],5:F1} CPU-µs/msg (broker {cpu["broker"]:F1}, influxd {cpu["influxd"]:F1}) | mosquitto_sub -c -q 1 {subRate,9:N0} msg/s | ratio {rate / subRate:P0}");
                return new Row(collectorLive, redLive, rate, cpu["collector"], subRate) { Floors = floors };
            }
            finally
            {
                await drained.DisposeAsync();
            }
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A process still closing its files; the temp folder is left behind.
            }
        }
    }

    private static async Task<Live> CollectorLiveAsync(int brokerPort, InfluxDbServer influx, string folder, int brokerPid, int influxPid, int messages, int run)
    {
        var collector = await HostProcess.StartCollectorAsync("collector", Settings(brokerPort, influx, folder, "live"));
        try
        {
            await ProbeAsync(brokerPort, influx, "live");
            return await LiveAsync("collector host", collector.ProcessId, brokerPid, influxPid, brokerPort, influx, "live", messages, 2_000_000 * run);
        }
        finally
        {
            await collector.DisposeAsync();
            if (Baseline is not null)
            {
                await ForgetSessionsAsync(brokerPort, "bench-collector");
            }
        }
    }

    private static async Task<Live> BaselineLiveAsync(string baseline, int brokerPort, InfluxDbServer influx, string folder, int brokerPid, int influxPid, int messages, int run)
    {
        await CreateDatabaseAsync(influx, "baseline");
        var own = Directory.CreateDirectory(Path.Combine(folder, "baseline")).FullName;
        var settings = Settings(brokerPort, influx, own, "baseline");
        settings["Ioc:Mqtt:ClientId"] = "bench-baseline";
        // Its own shared group: a session of the other host that lingers in a group would take a share of this one's messages.
        settings["Ioc:Collector:SharedGroup"] = "bench-baseline";
        foreach (var (key, value) in BaselineOverrides)
        {
            settings[key] = value;
        }
        // An absolute project folder: HostProcess combines it with bin/Release/net10.0 under it.
        var host = await HostProcess.StartAsync("baseline", Path.GetFullPath(Path.Combine(baseline, HostProcess.Collector)), "/healthz", settings, null, TimeSpan.FromSeconds(60));
        try
        {
            await ProbeAsync(brokerPort, influx, "baseline");
            return await LiveAsync("baseline host", host.ProcessId, brokerPid, influxPid, brokerPort, influx, "baseline", messages, 4_000_000 * run);
        }
        finally
        {
            await host.DisposeAsync();
            await ForgetSessionsAsync(brokerPort, "bench-baseline");
        }
    }

    /// <summary>
    /// Ends a stopped host's persistent sessions (clean start, no expiry): otherwise the broker keeps queueing for them,
    /// and in the shared group it would hand them a share of the next host's messages.
    /// </summary>
    private static async Task ForgetSessionsAsync(int brokerPort, string prefix)
    {
        var factory = new MqttClientFactory();
        for (var i = 0; i < 4; i++)
        {
            using var client = factory.CreateMqttClient();
            var options = new MqttClientOptionsBuilder()
                .WithTcpServer("127.0.0.1", brokerPort)
                .WithClientId($"{prefix}-{i}")
                .WithCleanStart(true)
                .WithSessionExpiryInterval(0)
                .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
                .Build();
            await client.ConnectAsync(options);
            await client.DisconnectAsync();
        }
    }

    private static Dictionary<string, string> Settings(int brokerPort, InfluxDbServer influx, string folder, string database)
    {
        var settings = BaseSettings(brokerPort, influx, folder, database);
        foreach (var (key, value) in Overrides)
        {
            settings[key] = value;
        }

        return settings;
    }

    private static Dictionary<string, string> BaseSettings(int brokerPort, InfluxDbServer influx, string folder, string database) => new()
    {
        ["Ioc:Mqtt:Host"] = "127.0.0.1",
        ["Ioc:Mqtt:Port"] = brokerPort.ToString(CultureInfo.InvariantCulture),
        ["Ioc:Mqtt:ClientId"] = "bench-collector",
        ["Ioc:Collector:Connections"] = "4",
        // The four publishers' messages are all env-sensor telemetry: partitioned by type and channel they would all go to one connection.
        ["Ioc:Collector:Subscription"] = "Shared",
        // mosquitto_pub -l sends on one topic, so each publisher is one device at thousands of msg/s.
        ["Ioc:Collector:DeviceRateLimit"] = "0",
        ["Ioc:Collector:SpoolPath"] = Path.Combine(folder, "spool"),
        ["Ioc:Storage:Provider"] = "InfluxDB",
        ["Ioc:Storage:InfluxDB:Url"] = influx.Url,
        ["Ioc:Storage:InfluxDB:Database"] = database,
        ["Ioc:Operational:Sqlite:Path"] = Path.Combine(folder, "ops.db"),
        ["Ioc:Alerting:CommandToken"] = "bench-command-token",
    };

    private static Task<Live> LiveAsync(string name, int consumerPid, int brokerPid, int influxPid, int brokerPort, InfluxDbServer influx, string database, int messages, int offset) =>
        LiveAsync(name, consumerPid, brokerPid, influxPid, brokerPort, () => CountAsync(influx, database), messages, offset);

    /// <param name="count">Messages the consumer has completed so far: points queryable in InfluxDB, or the floor consumer's count.</param>
    private static async Task<Live> LiveAsync(string name, int consumerPid, int brokerPid, int influxPid, int brokerPort, Func<Task<long>> count, int messages, int offset)
    {
        // Warm-up, not measured: both runtimes compile their hot paths (a production consumer runs for days).
        var before = await count();
        before += SteadyWarmUp
            ? await SettleAsync(name, consumerPid, brokerPort, count, before, offset + messages)
            : await FixedWarmUpAsync(name, brokerPort, count, before, Math.Min(10_000, messages / 10), offset + messages);
        var window = CpuWindow.Start((name, consumerPid), ("broker", brokerPid), ("influxd", influxPid));
        var started = Stopwatch.GetTimestamp();
        await PublishAsync(brokerPort, messages, offset);
        try
        {
            await Wait.UntilAsync(async () => await count() >= before + messages, TimeSpan.FromMinutes(3), $"{name} stored every message");
        }
        catch (TimeoutException)
        {
            Console.WriteLine($"     {name} stalled at {await count() - before:N0} of {messages:N0} stored");
            throw;
        }
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpu = window.PerMessage(messages);
        var live = new Live(messages / seconds, cpu[name], cpu["broker"], cpu["influxd"]);
        Console.WriteLine($"     live {messages:N0}: {name,-16} {live.Rate,9:N0} msg/s, {live.ConsumerUs,5:F1} CPU-µs per stored message (broker {live.BrokerUs:F1}, influxd {live.InfluxUs:F1})");
        return live;
    }

    /// <summary><c>--warmup fixed</c>: 10 % of the window (at most 10,000 messages) before it, as the bench did before the settle loop.</summary>
    private static async Task<long> FixedWarmUpAsync(string name, int brokerPort, Func<Task<long>> count, long before, int warm, int offset)
    {
        await PublishAsync(brokerPort, warm, offset);
        await Wait.UntilAsync(async () => await count() >= before + warm, TimeSpan.FromMinutes(3), $"{name} warmed up");
        Console.WriteLine($"     warm-up {name}: {warm:N0} messages (fixed)");
        return warm;
    }

    /// <summary>
    /// The default warm-up: rounds of <see cref="WarmUpRound"/> messages through the same four publishers, each waited for
    /// until the consumer has them all, measuring the consumer's CPU-µs/msg per round, until two successive rounds are
    /// within <see cref="SettleTolerance"/> of each other and, for a .NET consumer, its tiered-compilation worker thread
    /// used at most that fraction of the last round's CPU (tiered compilation has settled: the steady state of a
    /// consumer that runs for days), or <see cref="MaxWarmUpRounds"/> rounds or <see cref="MaxWarmUp"/> have passed (said so).
    /// Prints the rounds on one line. Each round's sequence numbers follow the last one's, after the window's, so every
    /// point stays distinct. Returns the messages published.
    /// </summary>
    private static async Task<long> SettleAsync(string name, int consumerPid, int brokerPort, Func<Task<long>> count, long before, int offset)
    {
        var figures = new List<double>();
        var started = Stopwatch.GetTimestamp();
        var published = 0L;
        var settled = false;
        var shown = new List<string>();
        var compiled = false;
        while (!settled && figures.Count < MaxWarmUpRounds && Stopwatch.GetElapsedTime(started) < MaxWarmUp)
        {
            var window = CpuWindow.Start((name, consumerPid));
            var jitBefore = ProcessCpu.ThreadSeconds(consumerPid, TieredCompilationThread);
            await PublishAsync(brokerPort, WarmUpRound, offset + (int)published);
            published += WarmUpRound;
            await Wait.UntilAsync(async () => await count() >= before + published, TimeSpan.FromMinutes(3), $"{name} took warm-up round {figures.Count + 1}");
            var perMessage = window.PerMessage(WarmUpRound)[name];
            var jitAfter = ProcessCpu.ThreadSeconds(consumerPid, TieredCompilationThread);
            var jit = ProcessCpu.ThreadSecondsSince(jitBefore, jitAfter) * 1e6 / WarmUpRound;
            var dotnet = jitBefore.Count > 0 || jitAfter.Count > 0;
            figures.Add(perMessage);
            shown.Add(dotnet ? FormattableString.Invariant($"{perMessage:F1} (JIT {jit:F1})") : perMessage.ToString("F1", CultureInfo.InvariantCulture));
            // A .NET consumer's first rounds can agree while both still run unoptimised code (measured: 31.5 → 32.5
            // with the compiler idle, then a window of 40.3 where the settled runs gave 14–17): its background
            // tiered-compilation worker must have been busy in an earlier round (tier-up began) and (nearly) idle in
            // the last.
            compiled |= jit > SettleTolerance * perMessage;
            settled = figures.Count >= 2
                && Math.Abs(figures[^1] - figures[^2]) <= SettleTolerance * figures[^2]
                && (!dotnet || (compiled && jit <= SettleTolerance * perMessage));
        }

        var outcome = settled
            ? "settled"
            : $"did NOT settle (stopped after {(figures.Count >= MaxWarmUpRounds ? $"{MaxWarmUpRounds} rounds" : $"{MaxWarmUp.TotalSeconds:F0} s")})";
        Console.WriteLine($"     warm-up {name}: {figures.Count} × {WarmUpRound:N0} msgs in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s, CPU-µs/msg (of which the tiered-compilation thread) {string.Join(" → ", shown)}: {outcome}");
        return published;
    }

    /// <summary>One message, waited for until queryable: the consumer is subscribed and its path to the store works.</summary>
    private static async Task ProbeAsync(int brokerPort, InfluxDbServer influx, string database)
    {
        await Wait.UntilAsync(async () =>
        {
            await MosquittoPub.PublishAsync(brokerPort, $"ioc/v1/dc-tinh/{Measurement}/PROBE/telemetry", Line(0));
            for (var i = 0; i < 10; i++)
            {
                if (await CountAsync(influx, database) > 0)
                {
                    return true;
                }

                await Task.Delay(100);
            }

            return false;
        }, TimeSpan.FromSeconds(60), $"probe stored in {database}");
    }

    /// <summary>Four <c>mosquitto_pub -q 1 -l</c> processes at once, each one device's share of <paramref name="messages"/>.</summary>
    internal static Task PublishAsync(int brokerPort, int messages, int offset) =>
        Task.WhenAll(Enumerable.Range(0, Publishers).Select(p =>
        {
            var count = messages / Publishers + (p < messages % Publishers ? 1 : 0);
            return MosquittoPub.PublishLinesAsync(brokerPort, $"ioc/v1/dc-tinh/{Measurement}/BENCH-{p}/telemetry", Enumerable.Range(0, count).Select(i => Line(offset + i)));
        }));

    // A message's timestamp is BaseMs + its sequence number in ms, and the sequences of later runs reach tens of millions
    // (hours): starting a day back keeps every run's points in the past (the contract refuses more than 10 min ahead).
    private static readonly long BaseMs = DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeMilliseconds();

    internal static string Line(int i) =>
        "{\"ts\":" + (BaseMs + i) + ",\"metrics\":{\"temp_c\":" + (20 + (i % 10)) + ".5,\"seq\":" + i + "},\"tags\":{\"rack\":\"R" + (i % 4) + "\"}}";

    private static async Task<long> CountAsync(InfluxDbServer influx, string database)
    {
        try
        {
            return await influx.CountAsync(database, $"SELECT count(\"seq\") FROM \"{Measurement}\"");
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    private static async Task CreateDatabaseAsync(InfluxDbServer influx, string database)
    {
        using var http = new HttpClient();
        using var body = new FormUrlEncodedContent([new("q", $"CREATE DATABASE \"{database}\"")]);
        using var response = await http.PostAsync($"{influx.Url}/query", body);
        response.EnsureSuccessStatusCode();
    }

    internal static async Task RunAsync(string executable, string arguments, bool allowFailure = false, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(executable, arguments) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (workingDirectory is not null)
        {
            info.WorkingDirectory = workingDirectory;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{executable} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0 && !allowFailure)
        {
            throw new InvalidOperationException($"{executable} {arguments} exited {process.ExitCode}: {await error}{await output}");
        }
    }
}

/// <summary>
/// Node-RED and node-red-contrib-influxdb, installed with npm on first use into a cache folder outside the repository
/// (<c>$IOC_BENCH_CACHE</c>, default <c>~/.cache/ioc-bench</c>/node-red) from bench/peers/node-red/package.json.
/// </summary>
internal sealed class NodeRedInstall
{
    private readonly string _folder;
    private readonly string _peer;

    private NodeRedInstall(string folder, string peer)
    {
        _folder = folder;
        _peer = peer;
    }

    public static async Task<NodeRedInstall> EnsureAsync()
    {
        var peer = Path.Combine(RepositoryRoot.Path, "bench", "peers", "node-red");
        var cache = Environment.GetEnvironmentVariable("IOC_BENCH_CACHE") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "ioc-bench");
        var folder = Path.Combine(cache, "node-red");
        Directory.CreateDirectory(folder);
        var manifest = await File.ReadAllTextAsync(Path.Combine(peer, "package.json"));
        var installed = Path.Combine(folder, "package.json");
        if (!File.Exists(Path.Combine(folder, "node_modules", "node-red", "red.js")) || !File.Exists(installed) || await File.ReadAllTextAsync(installed) != manifest)
        {
            Console.WriteLine($"   installing Node-RED into {folder} (npm, first use)…");
            await File.WriteAllTextAsync(installed, manifest);
            await PeerBench.RunAsync("npm", "install --no-audit --no-fund --loglevel=error", workingDirectory: folder);
        }

        return new NodeRedInstall(folder, peer);
    }

    /// <summary>Node-RED with the bench flow (placeholders filled) in a user directory under <paramref name="workFolder"/>.</summary>
    public async Task<Process> StartAsync(string workFolder, int brokerPort, int influxPort, string database)
    {
        var userDir = Path.Combine(workFolder, "node-red");
        Directory.CreateDirectory(userDir);
        var flows = (await File.ReadAllTextAsync(Path.Combine(_peer, "flows.json")))
            .Replace("{{BROKER_PORT}}", brokerPort.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{{INFLUX_PORT}}", influxPort.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{{DATABASE}}", database, StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(userDir, "flows.json"), flows);
        // The nodes are found through NODE_PATH-free lookup: the user directory's node_modules links to the cache.
        var modules = Path.Combine(userDir, "node_modules");
        if (!Directory.Exists(modules))
        {
            Directory.CreateSymbolicLink(modules, Path.Combine(_folder, "node_modules"));
        }

        await File.WriteAllTextAsync(Path.Combine(userDir, "package.json"), await File.ReadAllTextAsync(Path.Combine(_peer, "package.json")));
        var port = FreePort.Next();
        var info = new ProcessStartInfo("node", [Path.Combine(_folder, "node_modules", "node-red", "red.js"), "--userDir", userDir, "--port", port.ToString(CultureInfo.InvariantCulture), "flows.json"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var output = new StringBuilder();
        var process = Process.Start(info) ?? throw new InvalidOperationException("node-red did not start");
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"node-red exited {process.ExitCode}:\n{output}");
            }

            try
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{port}/flows");
                if (response.IsSuccessStatusCode)
                {
                    return process;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        process.Kill(entireProcessTree: true);
        throw new TimeoutException($"node-red did not answer within 60 s:\n{output}");
    }
}
