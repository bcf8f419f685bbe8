using System.Globalization;

namespace Ioc.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/Ioc.Bench -- [ingest|latency|alert-latency|memory|flood|all] [--messages N] [--connections N] [--store sqlite|influxdb|both]</c>
/// Starts real Mosquitto (and InfluxDB) on loopback, measures, prints figures, stops everything.
/// <c>-- faults [--messages N]</c> restarts Mosquitto under the collector with shared and with partitioned subscriptions and counts what is lost.
/// <c>-- flood [--seconds S] [--connections N]</c>: normal devices' latency beside one flooding device, rate limit off and on.
/// <c>-- peer [--messages N] [--drain N] [--runs R] [--collector-only | --baseline DIR [--baseline-set KEY=VALUE]] [--warmup steady|fixed] [--warmup-round N]</c>: CPU-µs per stored message of the collector host as shipped beside a Node-RED 4 flow (or alone, or beside another build of it), and the drain ratio against mosquitto_sub; each consumer's window opens once its CPU per message has settled over warm-up rounds of N messages (default 20,000; <c>fixed</c>: 10 % of the window, at most 10,000).
/// <c>-- peer … --floor [--floor-levels ack,decode,encode] [--floor-connections N] [--floor-env KEY=VALUE [--floor-env-level ack|decode|encode|all]]</c>: adds the floor consumer's rows (MQTTnet through BrokerClient acknowledging, then + decode, then + PointData) and the decomposition of the collector's CPU-µs per message.
/// <c>floor-consumer --port P --connections N --level ack|decode|encode</c>: the child process those rows measure (not for direct use).
/// <c>-- smoke</c>: a few seconds of every npm-free path (CI runs it through BenchSmokeTests).
/// <c>-- decode [--messages N] [--devices D]</c>: bytes allocated and ns per message of the decode step alone.
/// <c>-- encode [--messages N] [--devices D]</c>: bytes allocated and ns per point of the InfluxDB encoding step alone, before and after the series cache.
/// <c>-- fuzz [--inputs N] [--seed S]</c> needs neither: it runs the contract decoder over generated hostile input.
/// </summary>
internal static class BenchCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        for (var i = Array.IndexOf(args, "--set"); i >= 0 && i + 1 < args.Length; i = Array.IndexOf(args, "--set", i + 1))
        {
            var pair = args[i + 1].Split('=', 2);
            PeerBench.Overrides[pair[0]] = pair.Length > 1 ? pair[1] : "";
        }

        for (var i = Array.IndexOf(args, "--baseline-set"); i >= 0 && i + 1 < args.Length; i = Array.IndexOf(args, "--baseline-set", i + 1))
        {
            var pair = args[i + 1].Split('=', 2);
            PeerBench.BaselineOverrides[pair[0]] = pair.Length > 1 ? pair[1] : "";
        }

        for (var i = Array.IndexOf(args, "--floor-env"); i >= 0 && i + 1 < args.Length; i = Array.IndexOf(args, "--floor-env", i + 1))
        {
            var pair = args[i + 1].Split('=', 2);
            PeerBench.FloorEnvironment[pair[0]] = pair.Length > 1 ? pair[1] : "";
        }

        var mode = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "all";
        if (mode == "floor-consumer")
        {
            return await FloorConsumer.RunAsync(Option(args, "--port", 1883), Option(args, "--connections", 4), OptionText(args, "--level", "ack"));
        }

        if (mode == "faults")
        {
            return await FaultsBench.RunAsync(Option(args, "--messages", 200_000));
        }

        if (mode == "peer")
        {
            PeerBench.CollectorOnly = args.Contains("--collector-only");
            PeerBench.Baseline = args.Contains("--baseline") ? OptionText(args, "--baseline", "") : null;
            PeerBench.Floor = args.Contains("--floor") || PeerBench.FloorEnvironment.Count > 0;
            PeerBench.FloorConnections = Option(args, "--floor-connections", 4);
            var warmUp = OptionText(args, "--warmup", "steady");
            if (warmUp is not ("steady" or "fixed"))
            {
                Console.Error.WriteLine($"peer: --warmup must be steady or fixed (was {warmUp})");
                return 2;
            }

            PeerBench.SteadyWarmUp = warmUp == "steady";
            PeerBench.WarmUpRound = Option(args, "--warmup-round", 20_000);
            var envLevel = OptionText(args, "--floor-env-level", "ack");
            PeerBench.FloorEnvironmentEverywhere = envLevel == "all";
            PeerBench.FloorEnvironmentLevel = PeerBench.FloorEnvironmentEverywhere ? FloorLevel.Ack : Enum.Parse<FloorLevel>(envLevel, ignoreCase: true);
            if (args.Contains("--floor-levels"))
            {
                PeerBench.FloorLevels.Clear();
                foreach (var level in OptionText(args, "--floor-levels", "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    PeerBench.FloorLevels.Add(Enum.Parse<FloorLevel>(level, ignoreCase: true));
                }

                PeerBench.Floor = true;
            }

            return await PeerBench.RunAsync(Option(args, "--messages", 100_000), Option(args, "--drain", 200_000), Option(args, "--runs", 3));
        }

        if (mode == "smoke")
        {
            return await SmokeBench.RunAsync();
        }

        if (mode == "decode")
        {
            return DecodeBench.Run(Option(args, "--messages", 500_000), Option(args, "--devices", 10_000));
        }

        if (mode == "encode")
        {
            return EncodeBench.Run(Option(args, "--messages", 200_000), Option(args, "--devices", 10_000));
        }

        if (mode == "fuzz")
        {
            return FuzzBench.Run(Option(args, "--inputs", 1_000_000), args.Contains("--seed") ? OptionText(args, "--seed", "") : null);
        }

        var messages = Option(args, "--messages", 200_000);
        var connections = Option(args, "--connections", 4);
        var runs = Option(args, "--runs", 3);
        var store = OptionText(args, "--store", "both");
        var stores = store == "both" ? new[] { "sqlite", "influxdb" } : [store];
        Console.WriteLine($"Ioc bench: {mode}; {messages:N0} messages; {connections} collector connection(s); {Environment.ProcessorCount} cores; {runs} run(s), medians reported");
        try
        {
            if (mode is "ingest" or "all")
            {
                foreach (var name in stores)
                {
                    await IngestBench.RunAsync(name, messages, connections, runs);
                }
            }

            if (mode is "latency" or "all")
            {
                foreach (var name in stores)
                {
                    await LatencyBench.RunAsync(name, connections);
                }
            }

            if (mode is "alert-latency" or "all")
            {
                await AlertLatencyBench.RunAsync(connections, Option(args, "--rate", 10_000), Option(args, "--probes", 250), store == "influxdb" ? "influxdb" : "sqlite");
            }

            if (mode is "memory" or "all")
            {
                await MemoryBench.RunAsync(devices: Option(args, "--devices", 10_000), connections);
            }

            if (mode == "flood")
            {
                await FloodBench.RunAsync(Option(args, "--seconds", 10), Option(args, "--connections", 1));
            }

            if (mode == "micro")
            {
                BenchmarkDotNet.Running.BenchmarkRunner.Run<EncodeBenchmarks>();
            }

            return 0;
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"bench failed: {ex}");
            return 1;
        }
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string OptionText(string[] args, string name, string fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[sorted.Length / 2];
    }

    public static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(sorted.Length * p) - 1)];
    }
}
