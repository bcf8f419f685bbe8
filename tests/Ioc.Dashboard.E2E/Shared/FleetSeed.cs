using System.Globalization;
using Ioc.Contract;
using Ioc.Contract.Model;
using Ioc.Storage;
using Ioc.Dashboard.Data;

namespace Ioc.Dashboard.E2E.Shared;

/// <summary>
/// A small but complete fleet for the end-to-end runs: every district with a hub and three communes of Wi-Fi APs,
/// the provincial data center with racks, power and cooling; plus 30 days of status history and 24 h of DC metrics.
/// The data center is laid out as the simulator's: rows A and B, racks A01–B02 (tags <c>row</c> and <c>rack</c>),
/// a CRAC and a UPS per row (tag <c>row</c>).
/// </summary>
internal static class FleetSeed
{
    public const string DataCenter = "dc-tinh";

    public static IReadOnlyList<(DeviceAddress Device, string? Rack)> Devices()
    {
        var devices = new List<(DeviceAddress, string?)>();
        foreach (var district in Province.Districts)
        {
            var code = string.Concat(district.Slug.Split('-').Select(p => char.ToUpperInvariant(p[0])));
            devices.Add((new DeviceAddress(district.Slug, DeviceTypes.Router, $"{code}-RT-01"), null));
            devices.Add((new DeviceAddress(district.Slug, DeviceTypes.Switch, $"{code}-SW-01"), null));
            for (var commune = 1; commune <= 3; commune++)
            {
                for (var ap = 1; ap <= 4; ap++)
                {
                    devices.Add((new DeviceAddress($"{district.Slug}-xa-{commune}", DeviceTypes.WifiAccessPoint, $"{code}-AP-{commune}{ap:00}"), null));
                }
            }
        }

        string[] racks = ["A01", "A02", "B01", "B02"];
        for (var i = 0; i < 8; i++)
        {
            devices.Add((new DeviceAddress(DataCenter, DeviceTypes.Server, $"DC-SRV-{i + 1:00}"), racks[i % 4]));
        }

        devices.Add((new DeviceAddress(DataCenter, DeviceTypes.Router, "DC-CORE-01"), "A01"));
        devices.Add((new DeviceAddress(DataCenter, DeviceTypes.Firewall, "DC-FW-01"), "A01"));
        devices.Add((new DeviceAddress(DataCenter, DeviceTypes.Ups, "DC-UPS-01"), null));
        devices.Add((new DeviceAddress(DataCenter, DeviceTypes.Ups, "DC-UPS-02"), null));
        devices.Add((new DeviceAddress(DataCenter, DeviceTypes.Pdu, "DC-PDU-01"), "A02"));
        devices.Add((new DeviceAddress(DataCenter, DeviceTypes.Pdu, "DC-PDU-02"), "B01"));
        devices.Add((new DeviceAddress(DataCenter, DeviceTypes.Cooling, "DC-CRAC-A1"), null));
        devices.Add((new DeviceAddress(DataCenter, DeviceTypes.Cooling, "DC-CRAC-B1"), null));
        for (var i = 1; i <= 4; i++)
        {
            devices.Add((new DeviceAddress(DataCenter, DeviceTypes.EnvironmentSensor, $"DC-ENV-0{i}"), racks[i - 1]));
        }

        return devices;
    }

    /// <summary>Devices that are offline at start (two APs in Ninh Giang, one in Thanh Hà): the map is not all green.</summary>
    public static bool StartsOffline(DeviceAddress device) =>
        device.DeviceId is "NG-AP-101" or "NG-AP-102" or "NG-AP-103" or "TH-AP-201";

    /// <summary>The data-center row of a seeded device: its rack's letter, or the row its CRAC / UPS stands in.</summary>
    public static string? Row(DeviceAddress device, string? rack) => rack is not null ? rack[..1] : device.DeviceId switch
    {
        "DC-UPS-01" or "DC-CRAC-A1" => "A",
        "DC-UPS-02" or "DC-CRAC-B1" => "B",
        _ => null,
    };

    /// <summary>The telemetry of a healthy CRAC (compressor and fans running).</summary>
    public static string CracJson(string row, bool compressorOk) =>
        "{\"metrics\":{\"supply_temp_c\":" + (compressorOk ? "17.5" : "24.8") + ",\"return_temp_c\":" + (compressorOk ? "27.1" : "36.2")
        + ",\"compressor_ok\":" + (compressorOk ? "true" : "false") + ",\"fan_ok\":true,\"cooling_kw\":" + (compressorOk ? "28.4" : "0")
        + "},\"tags\":{\"row\":\"" + row + "\"}}";

    public static string TelemetryJson(DeviceAddress device, string? rack, int step)
    {
        var wave = Math.Sin(step / 12.0);
        var metrics = device.DeviceType switch
        {
            DeviceTypes.WifiAccessPoint => Json(("clients", 12 + (step % 9)), ("throughput_mbps", 35 + (10 * wave)), ("rssi_dbm", -58 + (3 * wave))),
            DeviceTypes.Ups => Json(("load_pct", 46 + (8 * wave)), ("battery_pct", 100), ("runtime_min", 38 - (4 * wave))).Replace("}", ",\"on_battery\":false}", StringComparison.Ordinal),
            DeviceTypes.Pdu => Json(("power_kw", 4.2 + (0.6 * wave))),
            DeviceTypes.EnvironmentSensor => Json(("temp_c", 23.5 + (2.2 * wave)), ("humidity_pct", 47 + (5 * wave))),
            DeviceTypes.Cooling => Json(("supply_temp_c", 17 + wave), ("return_temp_c", 27 + wave), ("cooling_kw", 28)).Replace("}", ",\"compressor_ok\":true,\"fan_ok\":true}", StringComparison.Ordinal),
            _ => Json(("cpu_pct", 30 + (15 * wave)), ("throughput_mbps", 400 + (120 * wave))),
        };
        var row = Row(device, rack);
        var tags = (row is null ? string.Empty : "\"row\":\"" + row + "\"") + (rack is null ? string.Empty : ",\"rack\":\"" + rack + "\"");
        return "{\"metrics\":" + metrics + (tags.Length == 0 ? string.Empty : ",\"tags\":{" + tags + "}") + "}";
    }

    /// <summary>Writes 30 days of status history (a few outages) and 24 h of 5-minute DC metrics into the store.</summary>
    public static async Task WriteHistoryAsync(ITelemetryStore store, DateTimeOffset now)
    {
        var points = new List<Point>();
        foreach (var (device, rack) in Devices())
        {
            var tags = new List<Tag> { new(TagNames.Site, device.Site), new(TagNames.Device, device.DeviceId), new(TagNames.DeviceType, device.DeviceType) };
            points.Add(Status(tags, now.AddDays(-30), online: true));
            if (device.DeviceId is "DC-SRV-03" or "TH-AP-201" or "GL-RT-01")
            {
                points.Add(Status(tags, now.AddDays(-3).AddHours(-2), online: false));
                points.Add(Status(tags, now.AddDays(-3), online: true));
            }

            if (device.DeviceId is "NG-AP-104")
            {
                points.Add(Status(tags, now.AddHours(-5), online: false));
                points.Add(Status(tags, now.AddHours(-4).AddMinutes(-20), online: true));
            }

            if (StartsOffline(device))
            {
                points.Add(Status(tags, now.AddHours(-1), online: false));
            }

            if (device.Site == DataCenter && device.DeviceType is DeviceTypes.Ups or DeviceTypes.EnvironmentSensor or DeviceTypes.Pdu)
            {
                var telemetryTags = new List<Tag> { new(TagNames.Site, device.Site), new(TagNames.Device, device.DeviceId) };
                if (Row(device, rack) is { } row)
                {
                    telemetryTags.Add(new Tag("row", row));
                }

                if (rack is not null)
                {
                    telemetryTags.Add(new Tag("rack", rack));
                }

                for (var step = 0; step < 288; step++)
                {
                    var at = now.AddMinutes(-5 * (288 - step));
                    var wave = Math.Sin(step / 12.0);
                    Field[] fields = device.DeviceType switch
                    {
                        DeviceTypes.Ups => [new("load_pct", FieldValue.Float(46 + (8 * wave))), new("battery_pct", FieldValue.Float(100))],
                        DeviceTypes.Pdu => [new("power_kw", FieldValue.Float(4.2 + (0.6 * wave)))],
                        _ => [new("temp_c", FieldValue.Float(23.5 + (2.2 * wave) + (step > 250 ? 3 : 0))), new("humidity_pct", FieldValue.Float(47 + (5 * wave)))],
                    };
                    points.Add(new Point(device.DeviceType, [.. telemetryTags], fields, MessageDecoder.ToNs(at)));
                }
            }
        }

        await store.WriteAsync(points, CancellationToken.None);
    }

    private static Point Status(List<Tag> tags, DateTimeOffset at, bool online) =>
        new(Measurements.Status, [.. tags], [new Field("state", FieldValue.String(online ? "online" : "offline")), new Field("online", FieldValue.Integer(online ? 1 : 0))], MessageDecoder.ToNs(at));

    private static string Json(params (string Name, double Value)[] metrics) =>
        "{" + string.Join(',', metrics.Select(m => $"\"{m.Name}\":{m.Value.ToString("0.##", CultureInfo.InvariantCulture)}")) + "}";
}
