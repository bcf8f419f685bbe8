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
    public void Write_SameSeriesManyTimes_EachLineHasItsOwnFieldsAndTimestamp()
    {
        var points = Enumerable.Range(0, 300).Select(i => new Point("env", [new("site", "xa, 1"), new("device", $"E{i % 3}")],
            [new("temp_c", FieldValue.Float(i / 2.0)), new("n", FieldValue.Integer(i))], Ns + i)).ToList();
        using var writer = new PooledBufferWriter(64);

        foreach (var point in points)
        {
            LineProtocolEncoder.Write(writer, point);
        }

        var lines = LineProtocolParser.Parse(Encoding.UTF8.GetString(writer.WrittenSpan));
        Assert.Equal(300, lines.Count);
        for (var i = 0; i < 300; i++)
        {
            Assert.Equal(Ns + i, lines[i].TimestampNs);
            Assert.Equal(i, lines[i].Fields.Single(f => f.Key == "n").Value.AsInteger());
            Assert.Equal(i / 2.0, lines[i].Fields.Single(f => f.Key == "temp_c").Value.AsDouble());
            Assert.Equal($"E{i % 3}", lines[i].Tags.Single(t => t.Key == "device").Value);
            Assert.Equal("xa, 1", lines[i].Tags.Single(t => t.Key == "site").Value);
        }
    }

    [Fact]
    public void Write_IsTheUtf8OfPointDataTextWithTheTimestamp()
    {
        var point = new Point("điện", [new("xã", "Thanh Hà"), new("rack", "R 3")], [new("ghi_chú", FieldValue.String("ổn định")), new("b", FieldValue.Boolean(false))], Ns);
        using var writer = new PooledBufferWriter();

        LineProtocolEncoder.Write(writer, point);

        var expected = InfluxDB.Client.Writes.PointData.Measurement("điện").Tag("xã", "Thanh Hà").Tag("rack", "R 3").Field("ghi_chú", "ổn định").Field("b", false)
            .Timestamp(Ns, InfluxDB.Client.Api.Domain.WritePrecision.Ns).ToLineProtocol() + "\n";
        Assert.Equal(expected, Encoding.UTF8.GetString(writer.WrittenSpan));
        Assert.Equal(expected, LineProtocolEncoder.Encode([point]));
    }

    [Fact]
    public void Write_PointWithoutFields_WritesNothing()
    {
        using var writer = new PooledBufferWriter();

        LineProtocolEncoder.Write(writer, new Point("m", [new("site", "dc")], [], Ns));

        Assert.Equal(0, writer.WrittenCount);
    }

    private static IReadOnlyList<ParsedLine> RoundTrip(Point point)
    {
        var builder = new StringBuilder();
        LineProtocolEncoder.Append(builder, point);
        return LineProtocolParser.Parse(builder.ToString());
    }
}
