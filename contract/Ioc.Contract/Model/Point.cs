namespace Ioc.Contract.Model;

public readonly record struct Tag(string Key, string Value);

public readonly record struct Field(string Key, FieldValue Value);

/// <summary>
/// One time-series point as both stores see it: a measurement, tags sorted by key (the series),
/// fields, and a timestamp in nanoseconds since the Unix epoch. Two points with the same series and
/// timestamp are the same point: writing one twice is idempotent.
/// </summary>
public sealed class Point
{
    public Point(string measurement, Tag[] tags, Field[] fields, long timestampNs)
    {
        Measurement = measurement;
        Array.Sort(tags, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        Tags = tags;
        Fields = fields;
        TimestampNs = timestampNs;
    }

    public string Measurement { get; }

    public IReadOnlyList<Tag> Tags { get; }

    public IReadOnlyList<Field> Fields { get; }

    public long TimestampNs { get; }

    public DateTimeOffset Timestamp => DateTimeOffset.UnixEpoch.AddTicks(TimestampNs / 100);

    public string? GetTag(string key)
    {
        foreach (var tag in Tags)
        {
            if (tag.Key == key)
            {
                return tag.Value;
            }
        }

        return null;
    }

    public FieldValue? GetField(string key)
    {
        foreach (var field in Fields)
        {
            if (field.Key == key)
            {
                return field.Value;
            }
        }

        return null;
    }
}
