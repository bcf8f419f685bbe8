using System.Text;
using Ioc.Contract;
using Ioc.Contract.Model;
using Ioc.Storage.LineProtocol;

namespace Ioc.Storage.Tests;

public class LineProtocolEncoderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);
    private static readonly long Ns = MessageDecoder.ToNs(Now);

    [Theory]
    [InlineData("rack, 3")]
    [InlineData("a b=c")]
    [InlineData("x=1 y=2")]
    [InlineData("\"quoted\"")]
    [InlineData("r,evil=1 temp_c=99 1")]
    public void Encode_HostileTagValue_RoundTripsAsOneTag(string value)
    {
        var point = new Point("env-sensor", [new("site", "dc"), new("rack", value)], [new("temp_c", FieldValue.Float(21.5))], Ns);

        var parsed = RoundTrip(point);

        var line = Assert.Single(parsed);
        Assert.Equal(value, line.Tags.Single(t => t.Key == "rack").Value);
        Assert.Equal(2, line.Tags.Count);
        Assert.Single(line.Fields);
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("with \"quotes\" inside")]
    [InlineData("back\\slash at end\\")]
    [InlineData("newline\nsecond line cpu usage=1 1")]
    [InlineData("comma, space = equals")]
    [InlineData("\\\" tricky")]
    public void Encode_HostileStringField_RoundTripsUnchanged(string value)
    {
        var point = new Point("event", [new("site", "dc")], [new("message", FieldValue.String(value)), new("n", FieldValue.Integer(1))], Ns);

        var parsed = RoundTrip(point);

        var line = Assert.Single(parsed);
        Assert.Equal(value, line.Fields.Single(f => f.Key == "message").Value.AsString());
        Assert.Equal(2, line.Fields.Count);
    }

    [Theory]
    [InlineData("field name")]
    [InlineData("f,g")]
    [InlineData("f=g")]
    public void Encode_HostileFieldKey_RoundTrips(string key)
    {
        var point = new Point("m", [new("site", "dc")], [new(key, FieldValue.Float(1)), new("other", FieldValue.Float(2))], Ns);

        var line = Assert.Single(RoundTrip(point));

        Assert.Equal([key, "other"], line.Fields.Select(f => f.Key).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("my measurement")]
    [InlineData("m,tag=1")]
    public void Encode_HostileMeasurement_RoundTrips(string measurement)
    {
        var point = new Point(measurement, [new("site", "dc")], [new("v", FieldValue.Float(1))], Ns);

        var line = Assert.Single(RoundTrip(point));

        Assert.Equal(measurement, line.Measurement);
        Assert.Single(line.Tags);
    }

    [Fact]
    public void Encode_AllFieldKinds_KeepTheirTypes()
    {
        var point = new Point("m", [new("site", "dc")],
        [
            new("f", FieldValue.Float(1.5)), new("big", FieldValue.Float(1e21)), new("i", FieldValue.Integer(-3)),
            new("u", FieldValue.UInteger(7)), new("b", FieldValue.Boolean(true)), new("s", FieldValue.String("x")),
        ], Ns);

        var line = Assert.Single(RoundTrip(point));
        var fields = line.Fields.ToDictionary(f => f.Key, f => f.Value);

        Assert.Equal(1.5, fields["f"].AsDouble());
        Assert.Equal(1e21, fields["big"].AsDouble());
        Assert.Equal(FieldKind.Integer, fields["i"].Kind);
        Assert.Equal(-3, fields["i"].AsInteger());
        Assert.Equal(FieldKind.Integer, fields["u"].Kind);
        Assert.True(fields["b"].AsBoolean());
        Assert.Equal("x", fields["s"].AsString());
        Assert.Equal(Ns, line.TimestampNs);
    }

    [Fact]
    public void Encode_ManyPoints_OneLineEach()
    {
        var points = Enumerable.Range(0, 50).Select(i => new Point("m", [new("device", $"d{i}")], [new("v", FieldValue.Float(i))], Ns + i)).ToList();

        var text = LineProtocolEncoder.Encode(points);

        Assert.Equal(50, LineProtocolParser.Parse(text).Count);
    }

    [Fact]
    public void Decode_HostileJsonPayload_CannotInjectAnotherPointOrTag()
    {
        // A device tries to smuggle a second point and a fake tag through a string metric.
        var decoder = new MessageDecoder(new ContractOptions());
        var payload = Encoding.UTF8.GetBytes("{\"ts\":" + Now.ToUnixTimeMilliseconds() + ""","metrics":{"fw":"1\" \nups,site=hacked on_battery=1 1\n"}}""");

        var result = decoder.Decode("ioc/v1/dc/server/S1/telemetry", payload, Now);
        var text = LineProtocolEncoder.Encode(result.Message!.Points);
        var lines = LineProtocolParser.Parse(text);

        var line = Assert.Single(lines);
        Assert.Equal("server", line.Measurement);
        Assert.Equal("dc", line.Tags.Single(t => t.Key == "site").Value);
        Assert.Equal("1\" \nups,site=hacked on_battery=1 1\n", line.Fields.Single().Value.AsString());
    }

    [Fact]
    public void Encode_GeneratedPoints_WritesWhatInfluxClientPointDataWrote()
    {
        // The encoder replaced InfluxDB.Client's PointData on the hot path: same text for the same point, escaping included.
        var random = new Random(20261201);
        string[] pieces = ["a", "Z", "9", " ", ",", "=", "\"", "\\", "\n", "\r", "\t", "Hải Dương", "ệ", "😀", "x y", "=,", ""];
        string Text(int parts) => string.Concat(Enumerable.Range(0, parts).Select(_ => pieces[random.Next(pieces.Length)]));
        for (var n = 0; n < 2_000; n++)
        {
            // Keys start with distinct letters so that PointData's (culture) order and the point's order agree.
            var tags = Enumerable.Range(0, random.Next(0, 4)).Select(i => new Tag((char)('a' + i) + Text(random.Next(0, 3)).Replace("\\", "", StringComparison.Ordinal), Text(random.Next(0, 4)).Replace("\\", "", StringComparison.Ordinal))).ToArray();
            var fields = Enumerable.Range(0, random.Next(0, 5)).Select(i => new Field((char)('a' + i) + Text(random.Next(0, 3)).Replace("\\", "", StringComparison.Ordinal), (random.Next(9)) switch
            {
                0 => FieldValue.Float(random.NextDouble() * Math.Pow(10, random.Next(-10, 25))),
                1 => FieldValue.Float(new[] { double.NaN, double.PositiveInfinity, -0.0, 0.1, 1e21, double.MaxValue }[random.Next(6)]),
                2 => FieldValue.Integer(random.NextInt64(long.MinValue, long.MaxValue)),
                3 => FieldValue.UInteger((ulong)random.NextInt64() * 3),
                4 => FieldValue.Boolean(random.Next(2) == 0),
                _ => FieldValue.String(Text(random.Next(0, 6))),
            })).ToArray();
            var point = new Point("m" + Text(random.Next(0, 3)).Replace("\\", "", StringComparison.Ordinal), tags, fields, Ns + random.Next());

            var builder = new StringBuilder();
            LineProtocolEncoder.Append(builder, point);

            Assert.Equal(PointDataLine(point), builder.ToString());
        }
    }

    /// <summary>The line as the store wrote it before: InfluxDB.Client's PointData, the encoder's former body.</summary>
    private static string PointDataLine(Point point)
    {
        var data = InfluxDB.Client.Writes.PointData.Builder.Measurement(point.Measurement);
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

        return data.Timestamp(point.TimestampNs, InfluxDB.Client.Api.Domain.WritePrecision.Ns).ToPointData().ToLineProtocol() + "\n";
    }

    private static IReadOnlyList<ParsedLine> RoundTrip(Point point)
    {
        var builder = new StringBuilder();
        LineProtocolEncoder.Append(builder, point);
        return LineProtocolParser.Parse(builder.ToString());
    }
}
