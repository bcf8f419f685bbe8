using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Ioc.Simulators.Devices;

/// <summary>
/// Writes contract payloads (JSON telemetry, events, status, and Telegraf line protocol) into a reused buffer.
/// One per generator; not thread-safe.
/// </summary>
public sealed class PayloadWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _json;
    private readonly StringBuilder _lines = new(512);

    public PayloadWriter()
    {
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true });
    }

    public static long UnixMs(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    public static long UnixNs(DateTimeOffset at) => (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;

    /// <summary>Starts <c>{"ts":…,"metrics":{</c>.</summary>
    public PayloadWriter BeginTelemetry(DateTimeOffset at)
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        _json.WriteStartObject();
        _json.WriteNumber("ts"u8, UnixMs(at));
        _json.WriteStartObject("metrics"u8);
        return this;
    }

    public PayloadWriter Metric(string name, double value, int decimals = 2)
    {
        _json.WriteNumber(name, Math.Round(value, decimals));
        return this;
    }

    public PayloadWriter Metric(string name, long value)
    {
        _json.WriteNumber(name, value);
        return this;
    }

    public PayloadWriter Metric(string name, bool value)
    {
        _json.WriteBoolean(name, value);
        return this;
    }

    /// <summary>Closes the metrics and writes the device's placement tags.</summary>
    public byte[] EndTelemetry(IReadOnlyDictionary<string, string> tags)
    {
        _json.WriteEndObject();
        if (tags.Count > 0)
        {
            _json.WriteStartObject("tags"u8);
            foreach (var (key, value) in tags)
            {
                _json.WriteString(key, value);
            }

            _json.WriteEndObject();
        }

        _json.WriteEndObject();
        _json.Flush();
        return _buffer.WrittenSpan.ToArray();
    }

    public byte[] Event(DateTimeOffset at, string type, string severity, string message, IEnumerable<KeyValuePair<string, string>> attributes)
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        _json.WriteStartObject();
        _json.WriteNumber("ts"u8, UnixMs(at));
        _json.WriteString("type"u8, type);
        _json.WriteString("severity"u8, severity);
        _json.WriteString("message"u8, message);
        _json.WriteStartObject("attrs"u8);
        foreach (var (key, value) in attributes)
        {
            _json.WriteString(key, value);
        }

        _json.WriteEndObject();
        _json.WriteEndObject();
        _json.Flush();
        return _buffer.WrittenSpan.ToArray();
    }

    public static byte[] Status(DateTimeOffset at, bool online) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{{\"state\":\"{(online ? "online" : "offline")}\",\"ts\":{UnixMs(at)}}}"));

    /// <summary>The last will registered at connect time: no <c>ts</c>, so the collector stamps it when the broker sends it.</summary>
    public static byte[] Will() => "{\"state\":\"offline\"}"u8.ToArray();

    /// <summary>Starts a line protocol payload (Telegraf <c>data_format = "influx"</c>).</summary>
    public PayloadWriter BeginLines()
    {
        _lines.Clear();
        return this;
    }

    /// <summary>Starts one line: measurement and tags (Telegraf sorts tags by key; the caller passes them sorted).</summary>
    public PayloadWriter Line(string measurement, params ReadOnlySpan<(string Key, string Value)> tags)
    {
        if (_lines.Length > 0)
        {
            _lines.Append('\n');
        }

        _lines.Append(measurement);
        foreach (var (key, value) in tags)
        {
            _lines.Append(',').Append(key).Append('=').Append(value);
        }

        _lines.Append(' ');
        return this;
    }

    public PayloadWriter Field(string name, double value, int decimals = 2)
    {
        SeparateField();
        _lines.Append(name).Append('=').Append(Math.Round(value, decimals).ToString("0.0##", CultureInfo.InvariantCulture));
        return this;
    }

    public PayloadWriter Field(string name, long value)
    {
        SeparateField();
        _lines.Append(name).Append('=').Append(value.ToString(CultureInfo.InvariantCulture)).Append('i');
        return this;
    }

    public PayloadWriter EndLine(DateTimeOffset at)
    {
        _lines.Append(' ').Append(UnixNs(at).ToString(CultureInfo.InvariantCulture));
        return this;
    }

    public byte[] EndLines() => Encoding.UTF8.GetBytes(_lines.ToString());

    private void SeparateField()
    {
        if (_lines[^1] != ' ')
        {
            _lines.Append(',');
        }
    }
}
