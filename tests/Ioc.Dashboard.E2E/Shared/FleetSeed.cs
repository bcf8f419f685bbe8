using System.Globalization;
using Ioc.Contract;
using Ioc.Contract.Model;
using Ioc.Storage;
using Ioc.Dashboard.Data;

namespace Ioc.Dashboard.E2E.Shared;

/// <summary>
/// A small but complete fleet for the end-to-end runs: every district with a hub and three communes of Wi-Fi APs,
/// the provincial data center with racks, power and cooling; plus 30 days of status history and 24 h of DC metrics.
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

        string[] racks = ["R01", "R02", "R03", "R04"];
        for (var i = 0; i < 8; i++)
        {
            devices.Add((new DeviceAddress(DataCenter, DeviceTypes.Server, $"DC-SRV-{i + 1:00}"), racks[i % 4]));
        }

        devices.Add((new DeviceAddress(DataCenter, DeviceTypes.Router, "DC-CORE-01"), "R01"));
        devices.Add((new DeviceAddress(DataCenter, DeviceTypes.Firewall, "DC-FW-01"), "R01"));
        devices.Add((new DeviceAddress(DataCenter, DeviceTypes.Ups, "DC-UPS-01"), "R04"));
        devices.Add((new DeviceAddress(DataCenter, DeviceTypes.Ups, "DC-UPS-02"), "R04"));
        devices.Add((new DeviceAddress(DataCenter, DeviceTypes.Pdu, "DC-PDU-01"), "R02"));
        devices.Add((new DeviceAddress(DataCenter, DeviceTypes.Pdu, "DC-PDU-02"), "R03"));
        devices.Add((new DeviceAddress(DataCenter, DeviceTypes.Cooling, "DC-CRAC-01"), null));
        for (var i = 1; i <= 3; i++)
        {
            devices.Add((new DeviceAddress(DataCenter, DeviceTypes.EnvironmentSensor, $"DC-ENV-0{i}"), racks[i - 1]));
        }

        return devices;
    }

    /// <summary>Devices that are offline at start (two APs in Ninh Giang, one in Thanh Hà): the map is not all green.</summary>
    public static bool StartsOffline(DeviceAddress device) =>
        device.DeviceId is "NG-AP-101" or "NG-AP-102" or "NG-AP-103" or "TH-AP-201";

    public static string TelemetryJson(DeviceAddress device, string? rack, int step)
    {
        var wave = Math.Sin(step / 12.0);
        var metrics = device.DeviceType switch
        {
            DeviceTypes.WifiAccessPoint => Json(("clients", 12 + (step % 9)), ("throughput_mbps", 35 + (10 * wave)), ("rssi_dbm", -58 + (3 * wave))),
            DeviceTypes.Ups => Json(("load_pct", 46 + (8 * wave)), ("battery_pct", 100), ("runtime_min", 38 - (4 * wave))),
            DeviceTypes.Pdu => Json(("power_kw", 4.2 + (0.6 * wave))),
            DeviceTypes.EnvironmentSensor => Json(("temp_c", 23.5 + (2.2 * wave)), ("humidity_pct", 47 + (5 * wave))),
            DeviceTypes.Cooling => Json(("supply_temp_c", 17 + wave), ("return_temp_c", 27 + wave)),
            _ => Json(("cpu_pct", 30 + (15 * wave)), ("throughput_mbps", 400 + (120 * wave))),
        };
        return "{\"metrics\":" + metrics + (rack is null ? string.Empty : ",\"tags\":{\"rack\":\"" + rack + "\"}") + "}";
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
