using System.Buffers;
using System.Globalization;
using System.Text;
using Ioc.Contract.Model;

namespace Ioc.Storage.LineProtocol;

/// <summary>
/// Writes points as InfluxDB line protocol, UTF-8 straight into a buffer: no per-point builder objects, no strings.
/// The text is what InfluxDB.Client's <c>PointData</c> wrote before (its escaping rules: measurement names escape
/// space, comma and control characters; tag keys, tag values and field keys also escape '='; string field values escape
/// backslash and double quote; floats in their shortest round-trip form; integers with 'i'; tags or fields with an empty key or value and
/// non-finite floats left out; a point with no field left is an empty line). Backslashes in names are refused by the
/// contract (<see cref="Contract.Names"/>) before they get here.
/// </summary>
public static class LineProtocolEncoder
{
    private static readonly SearchValues<char> MeasurementSpecials = SearchValues.Create(" ,\n\r\t");
    private static readonly SearchValues<char> KeySpecials = SearchValues.Create(" ,=\n\r\t");
    private static readonly SearchValues<char> StringSpecials = SearchValues.Create("\\\"");

    public static void Append(StringBuilder builder, Point point)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(buffer, point);
        builder.Append(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    public static string Encode(IEnumerable<Point> points)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        foreach (var point in points)
        {
            Write(buffer, point);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Every point as one line (ending in '\n').</summary>
    public static void Write(IBufferWriter<byte> writer, IReadOnlyList<Point> points)
    {
        for (var i = 0; i < points.Count; i++)
        {
            Write(writer, points[i]);
        }
    }

    /// <summary>One point as one line, ending in '\n'.</summary>
    public static void Write(IBufferWriter<byte> writer, Point point)
    {
        var fields = point.Fields;
        if (!HasWritableField(fields))
        {
            Byte(writer, (byte)'\n');
            return;
        }

        Escaped(writer, point.Measurement, MeasurementSpecials);
        var tags = point.Tags;
        for (var i = 0; i < tags.Count; i++)
        {
            var tag = tags[i];
            // Tags are sorted by key; of two with the same key the later wins, as a dictionary would keep it.
            if (tag.Key.Length == 0 || tag.Value.Length == 0 || (i + 1 < tags.Count && tags[i + 1].Key == tag.Key))
            {
                continue;
            }

            Byte(writer, (byte)',');
            Escaped(writer, tag.Key, KeySpecials);
            Byte(writer, (byte)'=');
            Escaped(writer, tag.Value, KeySpecials);
        }

        Byte(writer, (byte)' ');
        var first = true;
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            if (!Writable(field) || SupersededLater(fields, i))
            {
                continue;
            }

            if (!first)
            {
                Byte(writer, (byte)',');
            }

            first = false;
            Escaped(writer, field.Key, KeySpecials);
            Byte(writer, (byte)'=');
            Value(writer, field.Value);
        }

        Byte(writer, (byte)' ');
        Formatted(writer, point.TimestampNs, default);
        Byte(writer, (byte)'\n');
    }

    private static bool HasWritableField(IReadOnlyList<Field> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (Writable(fields[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Writable(Field field) =>
        field.Key.Length > 0 && (field.Value.Kind != FieldKind.Float || double.IsFinite(field.Value.AsDouble()));

    /// <summary>A later field with the same key replaces this one (fields are few: a scan is cheaper than a set).</summary>
    private static bool SupersededLater(IReadOnlyList<Field> fields, int index)
    {
        var key = fields[index].Key;
        for (var j = index + 1; j < fields.Count; j++)
        {
            if (fields[j].Key == key && Writable(fields[j]))
            {
                return true;
            }
        }

        return false;
    }

    private static void Value(IBufferWriter<byte> writer, FieldValue value)
    {
        switch (value.Kind)
        {
            case FieldKind.Float:
                Formatted(writer, value.AsDouble(), default);
                break;
            case FieldKind.Integer:
                Formatted(writer, value.AsInteger(), default);
                Byte(writer, (byte)'i');
                break;
            case FieldKind.UInteger:
                // InfluxDB 1.x has no unsigned type by default; Telegraf's own default is to send integers too.
                if (value.AsUInteger() <= long.MaxValue)
                {
                    Formatted(writer, (long)value.AsUInteger(), default);
                    Byte(writer, (byte)'i');
                }
                else
                {
                    Formatted(writer, (double)value.AsUInteger(), default);
                }

                break;
            case FieldKind.Boolean:
                Ascii(writer, value.AsBoolean() ? "true"u8 : "false"u8);
                break;
            default:
                Byte(writer, (byte)'"');
                Escaped(writer, value.AsString(), StringSpecials);
                Byte(writer, (byte)'"');
                break;
        }
    }

    private static void Escaped(IBufferWriter<byte> writer, ReadOnlySpan<char> text, SearchValues<char> specials)
    {
        while (true)
        {
            var at = text.IndexOfAny(specials);
            if (at < 0)
            {
                Utf8(writer, text);
                return;
            }

            // Every special is ASCII, so cutting the text there never splits a surrogate pair.
            Utf8(writer, text[..at]);
            switch (text[at])
            {
                case '\n':
                    Ascii(writer, "\\n"u8);
                    break;
                case '\r':
                    Ascii(writer, "\\r"u8);
                    break;
                case '\t':
                    Ascii(writer, "\\t"u8);
                    break;
                default:
                    Byte(writer, (byte)'\\');
                    Byte(writer, (byte)text[at]);
                    break;
            }

            text = text[(at + 1)..];
        }
    }

    private static void Utf8(IBufferWriter<byte> writer, ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return;
        }

        var span = writer.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        writer.Advance(Encoding.UTF8.GetBytes(text, span));
    }

    private static void Ascii(IBufferWriter<byte> writer, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(writer.GetSpan(bytes.Length));
        writer.Advance(bytes.Length);
    }

    private static void Byte(IBufferWriter<byte> writer, byte value)
    {
        writer.GetSpan(1)[0] = value;
        writer.Advance(1);
    }

    private static void Formatted<T>(IBufferWriter<byte> writer, T value, ReadOnlySpan<char> format)
        where T : IUtf8SpanFormattable
    {
        var span = writer.GetSpan(32);
        if (!value.TryFormat(span, out var written, format, CultureInfo.InvariantCulture))
        {
            span = writer.GetSpan(64);
            value.TryFormat(span, out written, format, CultureInfo.InvariantCulture);
        }

        writer.Advance(written);
    }
}
