using Ioc.Contract;
using Ioc.Contract.Model;
using Ioc.Dashboard.Live;

namespace Ioc.Dashboard.Tests.Shared;

/// <summary>
/// A two-row data center as the simulator publishes it (rows A and B, two racks each, a CRAC per row, a UPS per row,
/// an inlet sensor and two PDUs per rack, servers), fed into the live store as status and telemetry with its tags.
/// </summary>
public sealed class TestDataCenter(DeviceStateStore live, TimeProvider time)
{
    public const string Site = "dc-tinh";

    public static readonly string[] Rows = ["A", "B"];

    public static DeviceAddress Crac(string row) => new(Site, DeviceTypes.Cooling, $"DC-CRAC-{row}1");

    public static DeviceAddress Ups(int n) => new(Site, DeviceTypes.Ups, $"DC-UPS{n:00}");

    public static DeviceAddress Sensor(string rack) => new(Site, DeviceTypes.EnvironmentSensor, $"DC-{rack}-ENV");

    public static DeviceAddress Pdu(string rack, string feed) => new(Site, DeviceTypes.Pdu, $"DC-{rack}-PDU-{feed}");

    public static DeviceAddress Server(string rack, int slot) => new(Site, DeviceTypes.Server, $"DC-{rack}-SRV{slot:00}");

    /// <summary>Every device online and reporting: CRACs running, UPS on mains at 100 %, inlets at 23 °C.</summary>
    public void Seed()
    {
        for (var r = 0; r < Rows.Length; r++)
        {
            var row = Rows[r];
            Report(Crac(row), ("row", row), null, ("compressor_ok", FieldValue.Boolean(true)), ("fan_ok", FieldValue.Boolean(true)), ("supply_temp_c", FieldValue.Float(17.8)), ("cooling_kw", FieldValue.Float(28)));
            Report(Ups(r + 1), ("row", row), null, ("on_battery", FieldValue.Boolean(false)), ("battery_pct", FieldValue.Float(100)), ("load_pct", FieldValue.Float(46)), ("runtime_min", FieldValue.Float(38)));
            for (var k = 1; k <= 2; k++)
            {
                var rack = $"{row}0{k}";
                Inlet(rack, 23.0);
                Report(Pdu(rack, "A"), ("row", row), rack, ("power_kw", FieldValue.Float(2.1)));
                Report(Pdu(rack, "B"), ("row", row), rack, ("power_kw", FieldValue.Float(2.0)));
                Report(Server(rack, 1), ("row", row), rack, ("cpu_pct", FieldValue.Float(30)));
            }
        }
    }

    public void Inlet(string rack, double celsius) =>
        Report(Sensor(rack), ("row", rack[..1]), rack, ("temp_c", FieldValue.Float(celsius)), ("humidity_pct", FieldValue.Float(45)));

    public void CracFails(string row) =>
        Report(Crac(row), ("row", row), null, ("compressor_ok", FieldValue.Boolean(false)), ("cooling_kw", FieldValue.Float(0)));

    public void UpsOnBattery(int n, double charge) =>
        Report(Ups(n), ("row", Rows[(n - 1) % Rows.Length]), null, ("on_battery", FieldValue.Boolean(true)), ("battery_pct", FieldValue.Float(charge)), ("load_pct", FieldValue.Float(52)));

    public void Offline(DeviceAddress device) => live.ApplyStatus(new DeviceStatus(device, time.GetUtcNow(), DeviceState.Offline));

    public int DeviceCount => Rows.Length * (2 + (2 * 4));

    private void Report(DeviceAddress device, (string Key, string Value) row, string? rack, params (string Key, FieldValue Value)[] metrics)
    {
        live.ApplyStatus(new DeviceStatus(device, time.GetUtcNow(), DeviceState.Online));
        Tag[] tags = rack is null
            ? [new(TagNames.Site, device.Site), new(TagNames.Device, device.DeviceId), new(row.Key, row.Value)]
            : [new(TagNames.Site, device.Site), new(TagNames.Device, device.DeviceId), new(row.Key, row.Value), new("rack", rack)];
        live.ApplyTelemetry(device, [new Point(device.DeviceType, tags, [.. metrics.Select(m => new Field(m.Key, m.Value))], MessageDecoder.ToNs(time.GetUtcNow()))]);
    }
}
