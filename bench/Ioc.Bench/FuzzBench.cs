using System.Collections.Concurrent;
using System.Diagnostics;
using CsCheck;
using Ioc.Contract;
using Ioc.Contract.Tests.Fuzz;

namespace Ioc.Bench;

/// <summary>
/// <c>fuzz [--inputs N] [--seed S]</c>: runs N (default 1,000,000) generated and mutated topics and payloads through
/// <see cref="MessageDecoder.Decode"/>, with the generators and the property of the decoder's property tests
/// (tests/Ioc.Contract.Tests/Fuzz/DecoderInputs.cs, linked). Prints the outcomes by reject reason, the exceptions and
/// property violations (both must be 0: the exit code is 1 otherwise) and the throughput. Needs no broker or store.
/// </summary>
internal static class FuzzBench
{
    private const int MaxExamples = 5;

    public static int Run(long inputs, string? seed)
    {
        var decoder = new MessageDecoder(DecoderInputs.Options);
        var rejected = new long[RejectReasons.All.Count];
        long accepted = 0, exceptions = 0, violations = 0, decodeTicks = 0;
        var examples = new ConcurrentQueue<string>();
        Console.WriteLine($"Ioc bench: fuzz; {inputs:N0} generated and mutated inputs through MessageDecoder.Decode on {Environment.ProcessorCount} threads");
        var watch = Stopwatch.StartNew();
        DecoderInputs.All.Sample(
            (topic, payload) =>
            {
                var started = Stopwatch.GetTimestamp();
                DecodeResult result;
                try
                {
                    result = decoder.Decode(topic, payload, DecoderInputs.Now);
                }
                catch (Exception ex)
                {
                    Interlocked.Increment(ref exceptions);
                    Keep(examples, $"threw {ex.GetType().Name}: {ex.Message}; {DecoderInputs.Show(topic, payload)}");
                    return;
                }

                Interlocked.Add(ref decodeTicks, Stopwatch.GetTimestamp() - started);
                if (result.IsAccepted)
                {
                    Interlocked.Increment(ref accepted);
                }
                else
                {
                    Interlocked.Increment(ref rejected[(int)result.Rejection!.Reason]);
                }

                if (DecoderInputs.Violation(result) is { } violation)
                {
                    Interlocked.Increment(ref violations);
                    Keep(examples, $"{violation}; {DecoderInputs.Show(topic, payload)}");
                }
            },
            seed: seed,
            iter: inputs);
        watch.Stop();

        var run = accepted + rejected.Sum() + exceptions;
        Console.WriteLine($"  inputs run           {run,12:N0}");
        Console.WriteLine($"  accepted             {accepted,12:N0}");
        Console.WriteLine($"  rejected             {rejected.Sum(),12:N0}");
        foreach (var reason in RejectReasons.All.Where(r => rejected[(int)r] > 0).OrderByDescending(r => rejected[(int)r]))
        {
            Console.WriteLine($"    {reason.Name(),-24}{rejected[(int)reason],10:N0}");
        }

        Console.WriteLine($"  exceptions           {exceptions,12:N0}");
        Console.WriteLine($"  property violations  {violations,12:N0}");
        var decodeSeconds = (double)decodeTicks / Stopwatch.Frequency;
        Console.WriteLine($"  elapsed              {watch.Elapsed.TotalSeconds,12:N1} s; {run / watch.Elapsed.TotalSeconds,10:N0} inputs/s generated, decoded and checked");
        Console.WriteLine($"  decode alone         {(run - exceptions) / Math.Max(decodeSeconds, 1e-9),12:N0} inputs/s per thread ({decodeSeconds * 1e6 / Math.Max(1, run - exceptions):N2} µs each)");
        foreach (var example in examples)
        {
            Console.WriteLine($"  ! {example}");
        }

        return exceptions == 0 && violations == 0 && run == inputs ? 0 : 1;
    }

    private static void Keep(ConcurrentQueue<string> examples, string example)
    {
        if (examples.Count < MaxExamples)
        {
            examples.Enqueue(example);
        }
    }
}
