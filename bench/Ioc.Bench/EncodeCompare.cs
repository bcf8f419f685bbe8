using System.Diagnostics;
using System.Text;
using InfluxDB.Client.Api.Domain;
using InfluxDB.Client.Writes;
using Ioc.Contract;
using Ioc.Contract.Model;
using Ioc.Storage.LineProtocol;

namespace Ioc.Bench;

/// <summary>
/// <c>-- encode [--points N]</c>: line-protocol encoding of decoded telemetry, the store's former way (InfluxDB.Client's
/// PointData into a StringBuilder, then UTF-8 bytes) beside the current one (straight into a byte buffer): time
/// and bytes allocated per point, medians of 5 rounds, in one process.
/// </summary>
internal static class EncodeCompare
{
    public static int Run(int count)
    {
        var decoder = new MessageDecoder(new ContractOptions());
        var now = DateTimeOffset.UtcNow;
        var points = Enumerable.Range(0, count).Select(i => decoder.Decode(
            $"ioc/v1/commune-{i % 235}/env-sensor/ENV-{i % 1000:D4}/telemetry",
            Encoding.UTF8.GetBytes("{\"ts\":" + (now.ToUnixTimeMilliseconds() - i) + ",\"metrics\":{\"temp_c\":" + (20 + i % 10) + ".5,\"humidity_pct\":55.2,\"door_open\":false,\"seq\":" + i + "},\"tags\":{\"rack\":\"R" + (i % 4) + "\"}}"),
            now).Message!.Points[0]).ToList();
        Console.WriteLine($"== encode: {count:N0} decoded env-sensor points (4 fields, 4 tags) to line protocol; 5 rounds, medians");
        var before = Measure(() => Encoding.UTF8.GetBytes(PointDataText(points)).Length);
        var after = Measure(() =>
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(points.Count * 128);
            LineProtocolEncoder.Write(buffer, points);
            return buffer.WrittenCount;
        });
        Console.WriteLine($"   before (PointData + StringBuilder + GetBytes): {before.Us * 1000 / count:F0} ns/point, {before.Bytes / count:N0} B allocated/point");
        Console.WriteLine($"   after  (LineProtocolEncoder.Write to bytes):   {after.Us * 1000 / count:F0} ns/point, {after.Bytes / count:N0} B allocated/point (incl. the output buffer)");
        return 0;
    }

    private static (double Us, long Bytes) Measure(Func<int> encode)
    {
        encode();
        var times = new List<double>();
        var bytes = new List<double>();
        for (var round = 0; round < 5; round++)
        {
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var started = Stopwatch.GetTimestamp();
            encode();
            times.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
            bytes.Add(GC.GetAllocatedBytesForCurrentThread() - allocated);
        }

        return (BenchCommand.Median(times), (long)BenchCommand.Median(bytes));
    }

    private static string PointDataText(List<Point> points)
    {
        var builder = new StringBuilder(points.Count * 128);
        foreach (var point in points)
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
                    FieldKind.Boolean => data.Field(field.Key, field.Value.AsBoolean()),
                    _ => data.Field(field.Key, field.Value.AsString()),
                };
            }

            builder.Append(data.Timestamp(point.TimestampNs, WritePrecision.Ns).ToPointData().ToLineProtocol()).Append('\n');
        }

        return builder.ToString();
    }
}
