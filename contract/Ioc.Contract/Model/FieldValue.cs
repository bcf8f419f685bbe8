using System.Globalization;

namespace Ioc.Contract.Model;

/// <summary>The kinds of field value InfluxDB line protocol knows.</summary>
public enum FieldKind : byte
{
    Float,
    Integer,
    UInteger,
    Boolean,
    String,
}

/// <summary>One field value: a tagged union kept small because millions of them pass through the pipeline.</summary>
public readonly record struct FieldValue
{
    private readonly double _number;
    private readonly long _integer;
    private readonly string? _text;

    private FieldValue(FieldKind kind, double number, long integer, string? text)
    {
        Kind = kind;
        _number = number;
        _integer = integer;
        _text = text;
    }

    public FieldKind Kind { get; }

    public static FieldValue Float(double value) => new(FieldKind.Float, value, 0, null);

    public static FieldValue Integer(long value) => new(FieldKind.Integer, 0, value, null);

    public static FieldValue UInteger(ulong value) => new(FieldKind.UInteger, 0, unchecked((long)value), null);

    public static FieldValue Boolean(bool value) => new(FieldKind.Boolean, 0, value ? 1 : 0, null);

    public static FieldValue String(string value) => new(FieldKind.String, 0, 0, value);

    public double AsDouble() => Kind switch
    {
        FieldKind.Float => _number,
        FieldKind.Integer => _integer,
        FieldKind.UInteger => unchecked((ulong)_integer),
        FieldKind.Boolean => _integer,
        _ => double.NaN,
    };

    public long AsInteger() => _integer;

    public ulong AsUInteger() => unchecked((ulong)_integer);

    public bool AsBoolean() => _integer != 0;

    public string AsString() => _text ?? ToString();

    /// <summary>True for numbers and booleans: values a threshold can compare.</summary>
    public bool IsNumeric => Kind != FieldKind.String;

    public override string ToString() => Kind switch
    {
        FieldKind.Float => _number.ToString("R", CultureInfo.InvariantCulture),
        FieldKind.Integer => _integer.ToString(CultureInfo.InvariantCulture),
        FieldKind.UInteger => AsUInteger().ToString(CultureInfo.InvariantCulture),
        FieldKind.Boolean => _integer != 0 ? "true" : "false",
        _ => _text ?? string.Empty,
    };
}
