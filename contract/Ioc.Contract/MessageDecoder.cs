using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Ioc.Contract.Model;
using Ioc.Contract.Text;

namespace Ioc.Contract;

/// <summary>
/// Turns one MQTT message (topic and payload) into points, or refuses it with a named reason.
/// Thread-safe and allocation-lean: the collector calls it for every message it receives.
/// It never throws: every topic and every byte sequence ends in an accepted message or a named rejection.
/// </summary>
public sealed class MessageDecoder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // What a 'ts' may hold: a DateTimeOffset (years 1 to 9999) as Unix milliseconds...
    private static readonly long MinUnixMs = (DateTimeOffset.MinValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMillisecond;
    private static readonly long MaxUnixMs = (DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMillisecond;

    // ...and what a point can store: nanoseconds since 1970 in 64 bits (1677-09-21T00:12:43Z to 2262-04-11T23:47:16Z).
    private static readonly DateTimeOffset MinStorable = DateTimeOffset.UnixEpoch.AddTicks(long.MinValue / 100);
    private static readonly DateTimeOffset MaxStorable = DateTimeOffset.UnixEpoch.AddTicks(long.MaxValue / 100);
    private readonly ContractOptions _options;
    private readonly HashSet<string> _deviceTypes;
    private readonly FieldSchema _schema;

    public MessageDecoder(ContractOptions options)
    {
        _options = options;
        _schema = new FieldSchema(options.Metrics);
        _deviceTypes = new HashSet<string>(DeviceTypes.All.Concat(options.ExtraDeviceTypes), StringComparer.Ordinal);
    }

    public ContractOptions Options => _options;

    public DecodeResult Decode(string topic, ReadOnlySpan<byte> payload, DateTimeOffset receivedAt)
    {
        if (!Topics.TryParse(topic, out var device, out var channel, out var topicRejection))
        {
            return DecodeResult.Reject(topicRejection!);
        }

        if (!_deviceTypes.Contains(device.DeviceType))
        {
            return DecodeResult.Reject(RejectReason.UnknownDeviceType, $"device type '{device.DeviceType}' is not one of: {string.Join(", ", _deviceTypes.Order())}");
        }

        if (payload.Length > _options.MaxPayloadBytes)
        {
            return DecodeResult.Reject(RejectReason.PayloadTooLarge, $"payload is {payload.Length} bytes; the limit is {_options.MaxPayloadBytes}");
        }

        var trimmed = TrimWhitespace(payload);
        if (trimmed.IsEmpty)
        {
            return DecodeResult.Reject(RejectReason.EmptyPayload, "payload is empty");
        }

        // JSON and line protocol are both UTF-8 text. Checking it once here means no string read later can meet
        // bytes it cannot transcode (Utf8JsonReader does not validate the inside of strings; GetString() throws).
        if (!Utf8.IsValid(payload))
        {
            return DecodeResult.Reject(RejectReason.BadEncoding, $"payload is not valid UTF-8 (byte {FirstInvalidUtf8(payload)})");
        }

        try
        {
            var message = channel switch
            {
                MessageChannel.Telemetry when trimmed[0] == (byte)'{' => DecodeJsonTelemetry(device, trimmed, receivedAt),
                MessageChannel.Telemetry => DecodeLineProtocol(device, trimmed, receivedAt),
                MessageChannel.Event => DecodeEvent(device, trimmed, receivedAt),
                _ => DecodeStatus(device, trimmed, receivedAt),
            };
            return DecodeResult.Accept(message);
        }
        catch (RejectException ex)
        {
            return DecodeResult.Reject(ex.Reason, ex.Message);
        }
        catch (JsonException ex)
        {
            return DecodeResult.Reject(RejectReason.BadJson, $"invalid JSON at byte {ex.BytePositionInLine}: {FirstSentence(ex.Message)}");
        }
        catch (DecoderFallbackException)
        {
            return DecodeResult.Reject(RejectReason.BadEncoding, "payload is not valid UTF-8");
        }
    }

    // Per-thread scratch lists for a JSON telemetry message: the point gets exact-size arrays copied from them, so a
    // message allocates its two arrays, not two lists and their (larger) backing arrays as well.
    [ThreadStatic]
    private static List<Tag>? t_tags;

    [ThreadStatic]
    private static List<Field>? t_fields;

    private DecodedMessage DecodeJsonTelemetry(DeviceAddress device, ReadOnlySpan<byte> json, DateTimeOffset now)
    {
        var tags = t_tags ??= new List<Tag>(8);
        var fields = t_fields ??= new List<Field>(16);
        tags.Clear();
        fields.Clear();
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 8 });
            ExpectStartObject(ref reader);
            long? timestamp = null;
            tags.Add(new(TagNames.Site, device.Site));
            tags.Add(new(TagNames.Device, device.DeviceId));
            var sawMetrics = false;

            while (Next(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("ts"u8))
                {
                    Next(ref reader);
                    timestamp = ReadTimestamp(ref reader, now);
                }
                else if (reader.ValueTextEquals("metrics"u8))
                {
                    Next(ref reader);
                    sawMetrics = true;
                    // A second 'metrics' replaces the first, as it always has.
                    fields.Clear();
                    ReadMetrics(ref reader, fields);
                }
                else if (reader.ValueTextEquals("tags"u8))
                {
                    Next(ref reader);
                    ReadTags(ref reader, tags);
                }
                else
                {
                    Next(ref reader);
                    reader.Skip();
                }
            }

            EnsureEnd(ref reader);
            if (!sawMetrics || fields.Count == 0)
            {
                throw new RejectException(RejectReason.NoMetrics, "telemetry needs a 'metrics' object with at least one metric");
            }

            var point = new Point(device.DeviceType, [.. tags], [.. fields], timestamp ?? ToNs(now));
            return new DecodedMessage(device, MessageChannel.Telemetry, [point]);
        }
        finally
        {
            // Nothing of this message stays reachable from the thread.
            tags.Clear();
            fields.Clear();
        }
    }

    private void ReadMetrics(ref Utf8JsonReader reader, List<Field> fields)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new RejectException(RejectReason.NoMetrics, "'metrics' must be an object of name: value");
        }

        while (Next(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = NamePool.Shared.Get(ref reader);
            CheckFieldKey(name, "metric");
            if (fields.Count >= _options.MaxMetrics)
            {
                throw new RejectException(RejectReason.TooManyMetrics, $"more than {_options.MaxMetrics} metrics");
            }

            foreach (var existing in fields)
            {
                if (existing.Key == name)
                {
                    throw new RejectException(RejectReason.BadMetricName, $"metric '{name}' appears twice");
                }
            }

            Next(ref reader);
            var value = reader.TokenType switch
            {
                JsonTokenType.Number => FieldValue.Float(ReadFiniteDouble(ref reader, name)),
                JsonTokenType.True => FieldValue.Boolean(true),
                JsonTokenType.False => FieldValue.Boolean(false),
                JsonTokenType.String => FieldValue.String(CheckString(reader.GetString()!, name)),
                _ => throw new RejectException(RejectReason.BadMetricValue, $"metric '{name}' must be a number, boolean or string"),
            };
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
            }

            fields.Add(Resolve(name, value, fields, null));
        }
    }

    private void ReadTags(ref Utf8JsonReader reader, List<Tag> tags)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new RejectException(RejectReason.BadTag, "'tags' must be an object of name: string");
        }

        while (Next(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            Next(ref reader);
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new RejectException(RejectReason.BadTag, $"tag '{key}' must be a string");
            }

            AddTag(tags, key, reader.GetString()!);
        }
    }

    private void AddTag(List<Tag> tags, string key, string value)
    {
        if (!Names.IsKey(key))
        {
            throw new RejectException(RejectReason.BadTag, $"tag name '{Printable(key)}' must match [A-Za-z_][A-Za-z0-9_.:/-]{{0,127}}");
        }

        if (TagNames.IsReserved(key))
        {
            throw new RejectException(RejectReason.ReservedName, $"tag '{key}' is set from the topic and may not be sent");
        }

        if (!Names.IsTagValue(value, _options.MaxStringLength))
        {
            throw new RejectException(RejectReason.BadTag, $"tag '{key}' must be 1 to {_options.MaxStringLength} characters without control characters or backslashes");
        }

        foreach (var tag in tags)
        {
            if (tag.Key == key)
            {
                throw new RejectException(RejectReason.BadTag, $"tag '{key}' appears twice");
            }
        }

        var payloadTags = 0;
        foreach (var tag in tags)
        {
            payloadTags += TagNames.IsReserved(tag.Key) ? 0 : 1;
        }

        if (payloadTags >= _options.MaxTags)
        {
            throw new RejectException(RejectReason.TooManyTags, $"more than {_options.MaxTags} tags");
        }

        tags.Add(new Tag(key, value));
    }

    private DecodedMessage DecodeEvent(DeviceAddress device, ReadOnlySpan<byte> json, DateTimeOffset now)
    {
        if (json[0] != (byte)'{')
        {
            throw new RejectException(RejectReason.BadJson, "event payload must be a JSON object");
        }

        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 8 });
        ExpectStartObject(ref reader);
        long? timestamp = null;
        string? type = null;
        var severity = EventSeverity.Info;
        var message = string.Empty;
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        while (Next(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("ts"u8))
            {
                Next(ref reader);
                timestamp = ReadTimestamp(ref reader, now);
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                Next(ref reader);
                type = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                if (type is null || !Names.IsKey(type) || type.Length > Names.MaxSegmentLength)
                {
                    throw new RejectException(RejectReason.BadEvent, "event 'type' must be a name like auth_failure ([A-Za-z_][A-Za-z0-9_.:/-]{0,63})");
                }
            }
            else if (reader.ValueTextEquals("severity"u8))
            {
                Next(ref reader);
                if (reader.TokenType != JsonTokenType.String || !TryParseSeverity(reader.GetString()!, out severity))
                {
                    throw new RejectException(RejectReason.BadEvent, "event 'severity' must be one of info, warning, minor, major, critical");
                }
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                Next(ref reader);
                if (reader.TokenType != JsonTokenType.String)
                {
                    throw new RejectException(RejectReason.BadEvent, "event 'message' must be a string");
                }

                message = reader.GetString()!;
                if (message.Length > _options.MaxStringLength * 4)
                {
                    throw new RejectException(RejectReason.StringTooLong, $"event 'message' is longer than {_options.MaxStringLength * 4} characters");
                }
            }
            else if (reader.ValueTextEquals("attrs"u8))
            {
                Next(ref reader);
                ReadAttributes(ref reader, attributes);
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }

        EnsureEnd(ref reader);
        if (type is null)
        {
            throw new RejectException(RejectReason.BadEvent, "event needs a 'type'");
        }

        var ts = timestamp ?? ToNs(now);
        var severityName = severity.ToString().ToLowerInvariant();
        Tag[] tags =
        [
            new(TagNames.Site, device.Site), new(TagNames.Device, device.DeviceId), new(TagNames.DeviceType, device.DeviceType),
            new(TagNames.EventType, type), new(TagNames.Severity, severityName),
        ];
        var fields = new Field[attributes.Count + 1];
        fields[0] = new Field("message", FieldValue.String(message));
        var i = 1;
        foreach (var (key, value) in attributes)
        {
            fields[i++] = new Field(key, FieldValue.String(value));
        }

        var deviceEvent = new DeviceEvent(device, FromNs(ts), type, severity, message, attributes);
        return new DecodedMessage(device, MessageChannel.Event, [new Point(Measurements.Event, tags, fields, ts)], Event: deviceEvent);
    }

    /// <summary>
    /// One of the severity names, in any case, and nothing else: Enum.TryParse also took numbers, surrounding spaces
    /// and flag lists ("warning,minor" parsed as Warning|Minor, which is Major).
    /// </summary>
    private static bool TryParseSeverity(string text, out EventSeverity severity)
    {
        foreach (var candidate in Enum.GetValues<EventSeverity>())
        {
            if (string.Equals(text, candidate.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                severity = candidate;
                return true;
            }
        }

        severity = EventSeverity.Info;
        return false;
    }

    private void ReadAttributes(ref Utf8JsonReader reader, Dictionary<string, string> attributes)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new RejectException(RejectReason.BadEvent, "event 'attrs' must be an object");
        }

        while (Next(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            CheckFieldKey(key, "attribute");
            if (key == "message")
            {
                throw new RejectException(RejectReason.ReservedName, "attribute 'message' clashes with the event message");
            }

            if (attributes.ContainsKey(key))
            {
                throw new RejectException(RejectReason.BadMetricName, $"attribute '{key}' appears twice");
            }

            if (attributes.Count >= _options.MaxMetrics)
            {
                throw new RejectException(RejectReason.TooManyMetrics, $"more than {_options.MaxMetrics} attributes");
            }

            Next(ref reader);
            var value = reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString()!,
                JsonTokenType.Number => ReadFiniteDouble(ref reader, key).ToString("R", CultureInfo.InvariantCulture),
                JsonTokenType.True => "true",
                JsonTokenType.False => "false",
                _ => throw new RejectException(RejectReason.BadMetricValue, $"attribute '{key}' must be a string, number or boolean"),
            };
            attributes[key] = CheckString(value, key);
        }
    }

    private DecodedMessage DecodeStatus(DeviceAddress device, ReadOnlySpan<byte> json, DateTimeOffset now)
    {
        if (json[0] != (byte)'{')
        {
            throw new RejectException(RejectReason.BadJson, "status payload must be a JSON object");
        }

        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 8 });
        ExpectStartObject(ref reader);
        DeviceState? state = null;
        long? timestamp = null;
        while (Next(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("state"u8))
            {
                Next(ref reader);
                state = reader.TokenType != JsonTokenType.String ? null
                    : reader.ValueTextEquals("online"u8) ? DeviceState.Online
                    : reader.ValueTextEquals("offline"u8) ? DeviceState.Offline
                    : null;
                if (state is null)
                {
                    throw new RejectException(RejectReason.BadStatus, "status 'state' must be \"online\" or \"offline\"");
                }
            }
            else if (reader.ValueTextEquals("ts"u8))
            {
                Next(ref reader);
                // A retained status or last will may be old: keep its time but do not refuse it for age.
                timestamp = ReadTimestamp(ref reader, now, checkRange: false);
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }

        EnsureEnd(ref reader);
        if (state is null)
        {
            throw new RejectException(RejectReason.BadStatus, "status needs 'state'");
        }

        var ts = timestamp ?? ToNs(now);
        var online = state == DeviceState.Online;
        Tag[] tags = [new(TagNames.Site, device.Site), new(TagNames.Device, device.DeviceId), new(TagNames.DeviceType, device.DeviceType)];
        Field[] fields = [new("state", FieldValue.String(online ? "online" : "offline")), new("online", FieldValue.Integer(online ? 1 : 0))];
        var status = new DeviceStatus(device, FromNs(ts), state.Value);
        return new DecodedMessage(device, MessageChannel.Status, [new Point(Measurements.Status, tags, fields, ts)], Status: status);
    }

    private DecodedMessage DecodeLineProtocol(DeviceAddress device, ReadOnlySpan<byte> payload, DateTimeOffset now)
    {
        var text = StrictUtf8.GetString(payload);
        var lines = LineProtocolParser.Parse(text);
        var points = new List<Point>(lines.Count);
        var (min, max) = WindowNs(now);
        foreach (var line in lines)
        {
            if (!Names.IsKey(line.Measurement) || Measurements.IsReserved(line.Measurement))
            {
                throw new RejectException(
                    Measurements.IsReserved(line.Measurement) ? RejectReason.ReservedName : RejectReason.BadMetricName,
                    $"line {line.LineNumber}: measurement '{Printable(line.Measurement)}' is not allowed");
            }

            var tags = new List<Tag>(line.Tags.Count + 3)
            {
                new(TagNames.Site, device.Site), new(TagNames.Device, device.DeviceId), new(TagNames.DeviceType, device.DeviceType),
            };
            foreach (var tag in line.Tags)
            {
                AddTag(tags, tag.Key, tag.Value);
            }

            if (line.Fields.Count > _options.MaxMetrics)
            {
                throw new RejectException(RejectReason.TooManyMetrics, $"line {line.LineNumber}: more than {_options.MaxMetrics} fields");
            }

            var fields = new List<Field>(line.Fields.Count);
            foreach (var field in line.Fields)
            {
                CheckFieldKey(field.Key, "field");
                if (field.Value.Kind == FieldKind.Float && !double.IsFinite(field.Value.AsDouble()))
                {
                    throw new RejectException(RejectReason.NonFiniteNumber, $"line {line.LineNumber}: field '{field.Key}' is not a finite number");
                }

                if (field.Value.Kind == FieldKind.String)
                {
                    CheckString(field.Value.AsString(), field.Key);
                }

                fields.Add(Resolve(field.Key, field.Value, fields, line.LineNumber));
            }

            var ts = line.TimestampNs ?? ToNs(now);
            if (ts < min || ts > max)
            {
                throw new RejectException(RejectReason.TimestampOutOfRange, $"line {line.LineNumber}: timestamp {ts} ns is outside the accepted window ({_options.MaxPastAge} back, {_options.MaxFutureSkew} ahead); line protocol timestamps are nanoseconds");
            }

            points.Add(new Point(line.Measurement, [.. tags], [.. fields], ts));
        }

        return new DecodedMessage(device, MessageChannel.Telemetry, points);
    }

    /// <summary>The stored field for a metric under the contract's field-type rule; refuses a type mismatch and a name clash after suffixing.</summary>
    private Field Resolve(string name, FieldValue value, List<Field> earlier, int? lineNumber)
    {
        var where = lineNumber is { } n ? $"line {n}: " : string.Empty;
        if (!_schema.TryResolve(name, value, out var field, out var error))
        {
            throw new RejectException(RejectReason.BadMetricType, where + error);
        }

        foreach (var existing in earlier)
        {
            if (existing.Key == field.Key)
            {
                throw new RejectException(RejectReason.BadMetricName, $"{where}metric '{name}' is stored as '{field.Key}', which appears twice");
            }
        }

        return field;
    }

    private long ReadTimestamp(ref Utf8JsonReader reader, DateTimeOffset now, bool checkRange = true)
    {
        // Every step is range-checked before a DateTimeOffset is built: ticks since 1970, then nanoseconds.
        long ticks;
        if (reader.TokenType == JsonTokenType.Number)
        {
            // Written so that NaN fails too; the reader already refuses infinities.
            if (!reader.TryGetDouble(out var ms) || !(ms >= MinUnixMs && ms <= MaxUnixMs))
            {
                throw new RejectException(RejectReason.BadTimestamp, "'ts' must be Unix milliseconds (of a date in years 1 to 9999) or an RFC 3339 string");
            }

            ticks = (long)(ms * TimeSpan.TicksPerMillisecond);
        }
        else if (reader.TokenType == JsonTokenType.String)
        {
            if (!DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                throw new RejectException(RejectReason.BadTimestamp, "'ts' must be Unix milliseconds or an RFC 3339 string");
            }

            ticks = parsed.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        }
        else
        {
            throw new RejectException(RejectReason.BadTimestamp, "'ts' must be Unix milliseconds or an RFC 3339 string");
        }

        var ts = DateTimeOffset.UnixEpoch.AddTicks(ticks);
        var ns = (Int128)ticks * 100;
        if (checkRange)
        {
            var (min, max) = WindowNs(now);
            if (ns < min || ns > max)
            {
                throw new RejectException(RejectReason.TimestampOutOfRange, $"'ts' {ts:O} is outside the accepted window ({_options.MaxPastAge} back, {_options.MaxFutureSkew} ahead); 'ts' is Unix milliseconds, not seconds");
            }
        }

        if (ns < long.MinValue || ns > long.MaxValue)
        {
            throw new RejectException(RejectReason.BadTimestamp, $"'ts' {ts:O} cannot be stored: points hold nanoseconds since 1970 in 64 bits, from {MinStorable:O} to {MaxStorable:O}");
        }

        return (long)ns;
    }

    /// <summary>The accepted window around <paramref name="now"/> in nanoseconds, clamped to what a long holds.</summary>
    private (long Min, long Max) WindowNs(DateTimeOffset now)
    {
        var at = (Int128)(now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks);
        var min = (at - _options.MaxPastAge.Ticks) * 100;
        var max = (at + _options.MaxFutureSkew.Ticks) * 100;
        return ((long)Int128.Clamp(min, long.MinValue, long.MaxValue), (long)Int128.Clamp(max, long.MinValue, long.MaxValue));
    }

    private static double ReadFiniteDouble(ref Utf8JsonReader reader, string name)
    {
        // System.Text.Json refuses NaN/Infinity literals as bad JSON; a number too large for a double reads as infinity.
        if (!reader.TryGetDouble(out var value) || !double.IsFinite(value))
        {
            throw new RejectException(RejectReason.NonFiniteNumber, $"metric '{name}' is not a finite number");
        }

        return value;
    }

    private void CheckFieldKey(string name, string what)
    {
        if (!Names.IsKey(name))
        {
            throw new RejectException(RejectReason.BadMetricName, $"{what} name '{Printable(name)}' must match [A-Za-z_][A-Za-z0-9_.:/-]{{0,127}} and not be 'time'");
        }

        if (TagNames.IsReserved(name))
        {
            throw new RejectException(RejectReason.ReservedName, $"{what} name '{name}' is reserved for a tag");
        }
    }

    private string CheckString(string value, string name)
    {
        if (value.Length > _options.MaxStringLength)
        {
            throw new RejectException(RejectReason.StringTooLong, $"'{name}' is {value.Length} characters; the limit is {_options.MaxStringLength}");
        }

        return value;
    }

    /// <summary>
    /// <see cref="Utf8JsonReader.Read"/>, refusing a property name or string whose escapes spell a lone UTF-16
    /// surrogate (<c>"\ud800"</c>): valid JSON syntax, but not text, and unescaping it (GetString, ValueTextEquals)
    /// throws. Every token the decoder looks at passes through here; skipped values are never unescaped.
    /// </summary>
    private static bool Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            return false;
        }

        if (reader.ValueIsEscaped && !EscapesAreText(reader.ValueSpan))
        {
            throw new RejectException(RejectReason.BadEncoding, $"a JSON string near byte {reader.TokenStartIndex} escapes a lone UTF-16 surrogate (\\uD800-\\uDFFF outside a high-low pair)");
        }

        return true;
    }

    /// <summary>
    /// True when every <c>\uXXXX</c> escape in a raw JSON string (as the reader validated it: each backslash starts an
    /// escape) is a scalar value: no low surrogate alone, every high surrogate followed at once by an escaped low one.
    /// </summary>
    internal static bool EscapesAreText(ReadOnlySpan<byte> raw)
    {
        var i = raw.IndexOf((byte)'\\');
        while (i >= 0 && i < raw.Length)
        {
            if (i + 1 >= raw.Length)
            {
                return false;
            }

            if (raw[i + 1] != (byte)'u')
            {
                i += 2;
            }
            else
            {
                if (!TryReadHex4(raw, i + 2, out var unit) || char.IsLowSurrogate(unit))
                {
                    return false;
                }

                i += 6;
                if (char.IsHighSurrogate(unit))
                {
                    if (i + 1 >= raw.Length || raw[i] != (byte)'\\' || raw[i + 1] != (byte)'u' || !TryReadHex4(raw, i + 2, out var low) || !char.IsLowSurrogate(low))
                    {
                        return false;
                    }

                    i += 6;
                }
            }

            var next = i < raw.Length ? raw[i..].IndexOf((byte)'\\') : -1;
            i = next < 0 ? -1 : i + next;
        }

        return true;
    }

    private static bool TryReadHex4(ReadOnlySpan<byte> raw, int start, out char value)
    {
        value = '\0';
        if (start + 4 > raw.Length)
        {
            return false;
        }

        var result = 0;
        foreach (var b in raw.Slice(start, 4))
        {
            var digit = b switch
            {
                >= (byte)'0' and <= (byte)'9' => b - '0',
                >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                return false;
            }

            result = (result << 4) | digit;
        }

        value = (char)result;
        return true;
    }

    /// <summary>The offset of the first byte that is not part of a valid UTF-8 sequence (for the rejection detail).</summary>
    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        Span<char> scratch = stackalloc char[256];
        var offset = 0;
        while (true)
        {
            var status = Utf8.ToUtf16(bytes[offset..], scratch, out var read, out _, replaceInvalidSequences: false);
            offset += read;
            if (status != OperationStatus.DestinationTooSmall || read == 0)
            {
                return offset;
            }
        }
    }

    private static void ExpectStartObject(ref Utf8JsonReader reader)
    {
        if (!Next(ref reader) || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new RejectException(RejectReason.BadJson, "payload must be a JSON object");
        }
    }

    private static void EnsureEnd(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.EndObject || reader.CurrentDepth != 0)
        {
            throw new RejectException(RejectReason.BadJson, "payload must be a single JSON object");
        }

        if (Next(ref reader))
        {
            throw new RejectException(RejectReason.BadJson, "unexpected content after the JSON object");
        }
    }

    private static ReadOnlySpan<byte> TrimWhitespace(ReadOnlySpan<byte> payload)
    {
        var start = 0;
        var end = payload.Length;
        while (start < end && payload[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            start++;
        }

        while (end > start && payload[end - 1] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            end--;
        }

        return payload[start..end];
    }

    private static string FirstSentence(string message)
    {
        var dot = message.IndexOf(". ", StringComparison.Ordinal);
        return dot > 0 ? message[..dot] : message;
    }

    /// <summary>Shows a name in an error without letting control characters into logs.</summary>
    internal static string Printable(string value)
    {
        var clipped = value.Length > 64 ? value[..64] + "…" : value;
        return string.Create(clipped.Length, clipped, static (span, s) =>
        {
            for (var i = 0; i < s.Length; i++)
            {
                span[i] = char.IsControl(s[i]) ? '?' : s[i];
            }
        });
    }

    public static long ToNs(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;

    public static DateTimeOffset FromNs(long ns) => DateTimeOffset.UnixEpoch.AddTicks(ns / 100);
}
