using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using InfluxDB.Client.Writes;
using Ioc.Contract.Model;

namespace Ioc.Storage.LineProtocol;

/// <summary>
/// Writes points as InfluxDB line protocol through InfluxDB.Client's <see cref="PointData"/>, which escapes
/// measurement names, tag keys and values, field keys and string values. PointData does not escape
/// backslashes in names; the contract (<see cref="Contract.Names"/>) refuses those before they get here.
/// </summary>
/// <remarks>
/// Per point, the work PointData would repeat for every message of a series is done once: a series (measurement and
/// tags) is kept as a <see cref="PointData"/> with its tags (up to <see cref="MaxCachedSeries"/> series, shared by
/// every caller; beyond that a series is built per point as before), and each point adds only its fields to it.
/// The timestamp is written after PointData's text as a <see cref="long"/> instead of through PointData's
/// <c>BigInteger</c>, and the batch goes straight into UTF-8 (<see cref="Write"/>) instead of a string copied later.
/// </remarks>
public static class LineProtocolEncoder
{
    /// <summary>How many series keep their tagged <see cref="PointData"/> (≈ 300 bytes each).</summary>
    public const int MaxCachedSeries = 20_000;

    private static readonly ConcurrentDictionary<SeriesKey, PointData> Series = new();
    private static int _cachedSeries;

    /// <summary>The point as PointData without its timestamp (the series part cached, the fields added).</summary>
    public static PointData ToPointData(Point point)
    {
        var data = SeriesOf(point);
        var fields = point.Fields;
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            data = field.Value.Kind switch
            {
                FieldKind.Float => data.Field(field.Key, field.Value.AsDouble()),
                FieldKind.Integer => data.Field(field.Key, field.Value.AsInteger()),
                // InfluxDB 1.x has no unsigned type by default; Telegraf's own default is to send integers too.
                FieldKind.UInteger => field.Value.AsUInteger() <= long.MaxValue
                    ? data.Field(field.Key, (long)field.Value.AsUInteger())
                    : data.Field(field.Key, (double)field.Value.AsUInteger()),
                FieldKind.Boolean => data.Field(field.Key, field.Value.AsBoolean()),
                _ => data.Field(field.Key, field.Value.AsString()),
            };
        }

        return data;
    }

    /// <summary>Appends the point's line (with its newline) as UTF-8; a point without fields writes nothing.</summary>
    public static void Write(IBufferWriter<byte> writer, Point point)
    {
        var line = ToPointData(point).ToLineProtocol();
        if (line.Length == 0)
        {
            return;
        }

        // Line, ' ', at most 20 characters of timestamp, '\n'.
        var span = writer.GetSpan(Encoding.UTF8.GetMaxByteCount(line.Length) + 22);
        var written = Encoding.UTF8.GetBytes(line, span);
        span[written++] = (byte)' ';
        point.TimestampNs.TryFormat(span[written..], out var digits, default, System.Globalization.CultureInfo.InvariantCulture);
        written += digits;
        span[written++] = (byte)'\n';
        writer.Advance(written);
    }

    public static void Append(StringBuilder builder, Point point)
    {
        var line = ToPointData(point).ToLineProtocol();
        if (line.Length > 0)
        {
            builder.Append(line).Append(' ').Append(point.TimestampNs).Append('\n');
        }
    }

    public static string Encode(IEnumerable<Point> points)
    {
        var builder = new StringBuilder();
        foreach (var point in points)
        {
            Append(builder, point);
        }

        return builder.ToString();
    }

    private static PointData SeriesOf(Point point)
    {
        var key = new SeriesKey(point.Measurement, point.Tags);
        if (Series.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var data = PointData.Measurement(point.Measurement);
        var tags = point.Tags;
        for (var i = 0; i < tags.Count; i++)
        {
            data = data.Tag(tags[i].Key, tags[i].Value);
        }

        // The key keeps its own copy of the tags: whoever built the point may reuse its array.
        if (Volatile.Read(ref _cachedSeries) < MaxCachedSeries && Series.TryAdd(new SeriesKey(point.Measurement, [.. tags]), data))
        {
            Interlocked.Increment(ref _cachedSeries);
        }

        return data;
    }

    /// <summary>A series by value: the measurement and the tags (already sorted by key in <see cref="Point"/>).</summary>
    private readonly struct SeriesKey(string measurement, IReadOnlyList<Tag> tags) : IEquatable<SeriesKey>
    {
        private readonly string _measurement = measurement;
        private readonly IReadOnlyList<Tag> _tags = tags;

        public bool Equals(SeriesKey other)
        {
            if (!string.Equals(_measurement, other._measurement, StringComparison.Ordinal) || _tags.Count != other._tags.Count)
            {
                return false;
            }

            for (var i = 0; i < _tags.Count; i++)
            {
                if (!string.Equals(_tags[i].Key, other._tags[i].Key, StringComparison.Ordinal)
                    || !string.Equals(_tags[i].Value, other._tags[i].Value, StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return true;
        }

        public override bool Equals(object? obj) => obj is SeriesKey other && Equals(other);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            hash.Add(_measurement, StringComparer.Ordinal);
            for (var i = 0; i < _tags.Count; i++)
            {
                hash.Add(_tags[i].Key, StringComparer.Ordinal);
                hash.Add(_tags[i].Value, StringComparer.Ordinal);
            }

            return hash.ToHashCode();
        }
    }
}
