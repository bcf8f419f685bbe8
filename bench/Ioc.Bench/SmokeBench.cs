namespace Ioc.Bench;

/// <summary>
/// <c>-- smoke</c>: every bench path the CI can run without npm, small enough for seconds: a drain
/// into SQLite with the CPU accounting, publish → queryable under light background load, and the floor consumer of
/// <c>peer --floor</c> (child process, level encode, 500 messages). Fails (exit 1) when a path
/// breaks: a lost point, a CPU reading of nothing, a probe never queryable. The figures themselves are not judged here.
/// </summary>
internal static class SmokeBench
{
    public static async Task<int> RunAsync()
    {
        var (rate, cpu) = await IngestBench.RunAsync("sqlite", 5_000, connections: 2, runs: 1);
        if (rate <= 0 || cpu <= 0)
        {
            Console.Error.WriteLine($"smoke: implausible ingest figures ({rate} msg/s, {cpu} CPU-µs/msg)");
            return 1;
        }

        var p99 = await LatencyBench.RunAsync("sqlite", connections: 1, backgroundRate: 1_000, probes: 20);
        if (p99 > 5_000)
        {
            Console.Error.WriteLine($"smoke: publish → queryable p99 {p99:F0} ms");
            return 1;
        }

        // The floor consumer of `peer --floor`, as a child process at its deepest level: a few hundred messages.
        if (!await FloorSmoke.RunAsync(500))
        {
            return 1;
        }

        Console.WriteLine("smoke: ok");
        return 0;
    }
}
