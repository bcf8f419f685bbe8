using System.Diagnostics;
using System.Globalization;
using System.Text;
using InfluxDB.Client.Api.Domain;
using InfluxDB.Client.Writes;
using Ioc.Contract;
using Ioc.Contract.Model;
using Ioc.Storage.LineProtocol;

namespace Ioc.Bench;

/// <summary>
/// <c>encode [--messages N] [--devices D]</c>: the InfluxDB encoding step alone, on one thread, over the points the decoder
/// makes of JSON telemetry of four metrics from D devices, in batches of 1,000: the way it was (a
/// <see cref="PointData.Builder"/> per point, its string appended to a batch string, the batch copied to UTF-8) beside
/// <see cref="LineProtocolEncoder.Write"/> (series PointData cached, timestamp as a long, straight into a pooled UTF-8
/// buffer). Both must produce the same bytes. Bytes allocated and nanoseconds per point, median of five rounds.
/// </summary>
internal static class EncodeBench
{
    public static int Run(int messages, int devices)
    {
        var decoder = new MessageDecoder(new ContractOptions());
        var now = DateTimeOffset.UtcNow;
        var points = Enumerable.Range(0, messages).Select(i => decoder.Decode($"ioc/v1/xa-{i % devices % 235:D3}/env-sensor/ENV-{i % devices:D6}/telemetry",
            Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
                $"{{\"ts\":{now.ToUnixTimeMilliseconds() + i % 1000},\"metrics\":{{\"temp_c\":{24 + i % 64 * 0.1:F1},\"humidity_pct\":{60 + i % 7},\"co2_ppm\":{410 + i % 64},\"battery_pct\":{98 - i % 5}}}}}")),
            now).Message!.Points[0]).ToArray();
        var batches = points.Chunk(1000).ToArray();
        Console.WriteLine($"Ioc bench: encode; {messages:N0} points (4 fields) over {devices:N0} devices in batches of 1,000, one thread, 5 rounds after a warm-up");

        var before = Measure("PointData.Builder per point → string → UTF-8", batches, messages, static batch =>
        {
            var builder = new StringBuilder(batch.Length * 128);
            foreach (var point in batch)
            {
                AppendWithBuilder(builder, point);
            }

            return Encoding.UTF8.GetBytes(builder.ToString());
        });
        var after = Measure("LineProtocolEncoder.Write (series cached) → pooled UTF-8", batches, messages, static batch =>
        {
            using var writer = new PooledBufferWriter(batch.Length * 160);
            foreach (var point in batch)
            {
                LineProtocolEncoder.Write(writer, point);
            }

            return writer.WrittenSpan.Length;
        });

        foreach (var batch in batches.Take(3))
        {
            var builder = new StringBuilder();
            foreach (var point in batch)
            {
                AppendWithBuilder(builder, point);
            }

            using var writer = new PooledBufferWriter();
            foreach (var point in batch)
            {
                LineProtocolEncoder.Write(writer, point);
            }

            if (!writer.WrittenSpan.SequenceEqual(Encoding.UTF8.GetBytes(builder.ToString())))
            {
                Console.Error.WriteLine("the two encodings differ");
                return 1;
            }
        }

        Console.WriteLine($"   same bytes from both; after/before: {after.Bytes / before.Bytes:F2} of the bytes, {after.Nanos / before.Nanos:F2} of the time; load average {System.IO.File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        return 0;
    }

    private static (double Bytes, double Nanos) Measure<T>(string name, Point[][] batches, int messages, Func<Point[], T> encode)
    {
        var bytes = new List<double>();
        var nanos = new List<double>();
        for (var round = 0; round <= 5; round++)
        {
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var started = Stopwatch.GetTimestamp();
            foreach (var batch in batches)
            {
                GC.KeepAlive(encode(batch));
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            if (round > 0)
            {
                bytes.Add((GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)messages);
                nanos.Add(elapsed.TotalNanoseconds / messages);
            }
        }

        var result = (BenchCommand.Median(bytes), BenchCommand.Median(nanos));
        Console.WriteLine($"   {name}: {result.Item1:F0} B/point, {result.Item2:F0} ns/point (median of 5)");
        return result;
    }

    /// <summary>The encoder as it was before the series cache (one PointData.Builder per point, BigInteger timestamp).</summary>
    private static void AppendWithBuilder(StringBuilder builder, Point point)
    {
        var data = PointData.Builder.Measurement(point.Measurement);
        foreach (var tag in point.Tags)
        {
            data = data.Tag(tag.Key, tag.Value);
        }

        foreach (var field in point.Fields)
        {
            data = field.Value.Kind switch
            {
                FieldKind.Float => data.Field(field.Key, field.Value.AsDouble()),
                FieldKind.Integer => data.Field(field.Key, field.Value.AsInteger()),
                FieldKind.UInteger => field.Value.AsUInteger() <= long.MaxValue
                    ? data.Field(field.Key, (long)field.Value.AsUInteger())
                    : data.Field(field.Key, (double)field.Value.AsUInteger()),
                FieldKind.Boolean => data.Field(field.Key, field.Value.AsBoolean()),
                _ => data.Field(field.Key, field.Value.AsString()),
            };
        }

        builder.Append(data.Timestamp(point.TimestampNs, WritePrecision.Ns).ToPointData().ToLineProtocol()).Append('\n');
    }
}
