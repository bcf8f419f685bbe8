using System.Diagnostics;
using System.Globalization;
using System.Text;
using Ioc.Contract;

namespace Ioc.Bench;

/// <summary>
/// <c>decode [--messages N] [--devices D]</c>: the collector's decode step alone (<see cref="MessageDecoder.Decode"/>, topic
/// and JSON telemetry of four metrics, as the simulators send) over D devices, on one thread: bytes allocated and
/// nanoseconds per message, median of five rounds after a warm-up round. Needs no broker or store.
/// </summary>
internal static class DecodeBench
{
    public static int Run(int messages, int devices)
    {
        var decoder = new MessageDecoder(new ContractOptions());
        var topics = Enumerable.Range(0, devices).Select(i => $"ioc/v1/xa-{i % 235:D3}/env-sensor/ENV-{i:D6}/telemetry").ToArray();
        var now = DateTimeOffset.UtcNow;
        var payloads = Enumerable.Range(0, 64).Select(i => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"{{\"ts\":{now.ToUnixTimeMilliseconds() + i},\"metrics\":{{\"temp_c\":{24 + i * 0.1:F1},\"humidity_pct\":{60 + i % 7},\"co2_ppm\":{410 + i},\"battery_pct\":{98 - i % 5}}}}}"))).ToArray();
        Console.WriteLine($"Ioc bench: decode; {messages:N0} JSON telemetry messages (4 metrics) over {devices:N0} devices, one thread, 5 rounds after a warm-up");
        var bytes = new List<double>();
        var nanos = new List<double>();
        for (var round = 0; round <= 5; round++)
        {
            var accepted = 0;
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < messages; i++)
            {
                accepted += decoder.Decode(topics[i % topics.Length], payloads[i & 63], now).Message is null ? 0 : 1;
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            var perMessage = (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)messages;
            if (accepted != messages)
            {
                Console.Error.WriteLine($"only {accepted:N0} of {messages:N0} accepted");
                return 1;
            }

            if (round > 0)
            {
                bytes.Add(perMessage);
                nanos.Add(elapsed.TotalNanoseconds / messages);
                Console.WriteLine($"   round {round}: {perMessage:F0} B/msg, {elapsed.TotalNanoseconds / messages:F0} ns/msg");
            }
        }

        Console.WriteLine($"   median {BenchCommand.Median(bytes):F0} B/msg allocated, {BenchCommand.Median(nanos):F0} ns/msg; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        return 0;
    }
}
