using System.Text;
using InfluxDB.Client.Api.Domain;
using InfluxDB.Client.Writes;
using Ioc.Contract.Model;

namespace Ioc.Storage.LineProtocol;

/// <summary>
/// Writes points as InfluxDB line protocol through InfluxDB.Client's <see cref="PointData"/>, which escapes
/// measurement names, tag keys and values, field keys and string values. PointData does not escape
/// backslashes in names; the contract (<see cref="Contract.Names"/>) refuses those before they get here.
/// </summary>
public static class LineProtocolEncoder
{
    public static void Append(StringBuilder builder, Point point)
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
                // InfluxDB 1.x has no unsigned type by default; Telegraf's own default is to send integers too.
                FieldKind.UInteger => field.Value.AsUInteger() <= long.MaxValue
                    ? data.Field(field.Key, (long)field.Value.AsUInteger())
                    : data.Field(field.Key, (double)field.Value.AsUInteger()),
                FieldKind.Boolean => data.Field(field.Key, field.Value.AsBoolean()),
                _ => data.Field(field.Key, field.Value.AsString()),
            };
        }

        builder.Append(data.Timestamp(point.TimestampNs, WritePrecision.Ns).ToPointData().ToLineProtocol()).Append('\n');
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
}
