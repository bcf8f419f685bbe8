using System.Globalization;
using System.Text;
using Ioc.Contract.Model;

namespace Ioc.Contract;

/// <summary>One parsed line of InfluxDB line protocol, before contract checks.</summary>
public sealed record ParsedLine(int LineNumber, string Measurement, IReadOnlyList<Tag> Tags, IReadOnlyList<Field> Fields, long? TimestampNs);

/// <summary>
/// A strict parser of InfluxDB line protocol as Telegraf's <c>influx</c> serializer writes it
/// (<c>measurement,tag=v field=1.5,n=3i,s="x" 1700000000000000000</c>). It refuses what InfluxDB refuses,
/// with the line number and what was wrong.
/// </summary>
public static class LineProtocolParser
{
    public static IReadOnlyList<ParsedLine> Parse(string text)
    {
        var lines = new List<ParsedLine>();
        var position = 0;
        var lineNumber = 0;
        while (position < text.Length)
        {
            lineNumber++;
            var c = text[position];
            if (c is '\n' or '\r')
            {
                position++;
                if (c == '\r' && position < text.Length && text[position] == '\n')
                {
                    position++;
                }

                continue;
            }

            if (c == '#')
            {
                position = SkipToLineEnd(text, position);
                continue;
            }

            lines.Add(ParseLine(text, ref position, lineNumber));
        }

        if (lines.Count == 0)
        {
            throw new RejectException(RejectReason.BadLineProtocol, "no lines of line protocol");
        }

        return lines;
    }

    private static ParsedLine ParseLine(string text, ref int position, int lineNumber)
    {
        var measurement = ReadName(text, ref position, lineNumber, stopAtEquals: false, what: "measurement");
        var tags = new List<Tag>();
        while (position < text.Length && text[position] == ',')
        {
            position++;
            var key = ReadName(text, ref position, lineNumber, stopAtEquals: true, what: "tag key");
            Expect(text, ref position, '=', lineNumber, $"'=' after tag key '{key}'");
            var value = ReadName(text, ref position, lineNumber, stopAtEquals: false, what: $"value of tag '{key}'");
            tags.Add(new Tag(key, value));
        }

        Expect(text, ref position, ' ', lineNumber, "a space before the fields");
        var fields = new List<Field>();
        do
        {
            if (fields.Count > 0)
            {
                position++;
            }

            var key = ReadName(text, ref position, lineNumber, stopAtEquals: true, what: "field key");
            Expect(text, ref position, '=', lineNumber, $"'=' after field key '{key}'");
            foreach (var existing in fields)
            {
                if (existing.Key == key)
                {
                    throw Error(lineNumber, $"field '{key}' appears twice");
                }
            }

            fields.Add(new Field(key, ReadFieldValue(text, ref position, lineNumber, key)));
        }
        while (position < text.Length && text[position] == ',');

        long? timestamp = null;
        if (position < text.Length && text[position] == ' ')
        {
            position++;
            var start = position;
            while (position < text.Length && text[position] is not ('\n' or '\r'))
            {
                position++;
            }

            var raw = text.AsSpan(start, position - start).TrimEnd(' ');
            if (!long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ns))
            {
                throw Error(lineNumber, $"timestamp '{Clip(raw.ToString())}' is not an integer of nanoseconds");
            }

            timestamp = ns;
        }

        if (position < text.Length && text[position] is not ('\n' or '\r'))
        {
            throw Error(lineNumber, $"unexpected '{Clip(text[position].ToString())}' at column {ColumnOf(text, position)}");
        }

        return new ParsedLine(lineNumber, measurement, tags, fields, timestamp);
    }

    /// <summary>Reads a measurement, tag key, tag value or field key: up to an unescaped ',', ' ' (or '=').</summary>
    private static string ReadName(string text, ref int position, int lineNumber, bool stopAtEquals, string what)
    {
        StringBuilder? builder = null;
        var start = position;
        while (position < text.Length)
        {
            var c = text[position];
            if (c == '\\' && position + 1 < text.Length && text[position + 1] is ',' or ' ' or '=' or '\\')
            {
                builder ??= new StringBuilder().Append(text, start, position - start);
                builder.Append(text[position + 1]);
                position += 2;
                continue;
            }

            if (c is ',' or ' ' or '\n' or '\r' || (stopAtEquals && c == '='))
            {
                break;
            }

            builder?.Append(c);
            position++;
        }

        var name = builder?.ToString() ?? text.Substring(start, position - start);
        if (name.Length == 0)
        {
            throw Error(lineNumber, $"empty {what}");
        }

        return name;
    }

    private static FieldValue ReadFieldValue(string text, ref int position, int lineNumber, string key)
    {
        if (position >= text.Length)
        {
            throw Error(lineNumber, $"field '{key}' has no value");
        }

        if (text[position] == '"')
        {
            position++;
            var builder = new StringBuilder();
            while (true)
            {
                if (position >= text.Length)
                {
                    throw Error(lineNumber, $"string value of field '{key}' is not closed");
                }

                var c = text[position];
                if (c == '\\' && position + 1 < text.Length && text[position + 1] is '"' or '\\')
                {
                    builder.Append(text[position + 1]);
                    position += 2;
                    continue;
                }

                position++;
                if (c == '"')
                {
                    return FieldValue.String(builder.ToString());
                }

                builder.Append(c);
            }
        }

        var start = position;
        while (position < text.Length && text[position] is not (',' or ' ' or '\n' or '\r'))
        {
            position++;
        }

        var raw = text.AsSpan(start, position - start);
        if (raw.IsEmpty)
        {
            throw Error(lineNumber, $"field '{key}' has no value");
        }

        switch (raw)
        {
            case "t" or "T" or "true" or "True" or "TRUE":
                return FieldValue.Boolean(true);
            case "f" or "F" or "false" or "False" or "FALSE":
                return FieldValue.Boolean(false);
        }

        var last = raw[^1];
        if (last == 'i' && long.TryParse(raw[..^1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return FieldValue.Integer(integer);
        }

        if (last == 'u' && ulong.TryParse(raw[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var unsigned))
        {
            return FieldValue.UInteger(unsigned);
        }

        if (char.IsAsciiDigit(last) || last == '.')
        {
            if (double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return FieldValue.Float(number);
            }
        }

        throw Error(lineNumber, $"field '{key}' has an invalid value '{Clip(raw.ToString())}'");
    }

    private static void Expect(string text, ref int position, char expected, int lineNumber, string what)
    {
        if (position >= text.Length || text[position] != expected)
        {
            throw Error(lineNumber, $"expected {what}");
        }

        position++;
    }

    private static int SkipToLineEnd(string text, int position)
    {
        var end = text.IndexOf('\n', position);
        return end < 0 ? text.Length : end + 1;
    }

    private static int ColumnOf(string text, int position) => position - text.LastIndexOf('\n', Math.Max(0, position - 1));

    private static string Clip(string value) => MessageDecoder.Printable(value);

    private static RejectException Error(int lineNumber, string detail) =>
        new(RejectReason.BadLineProtocol, $"line {lineNumber}: {detail}");
}
