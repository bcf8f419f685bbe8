using Ioc.Contract;
using Ioc.Simulators.Determinism;
using Ioc.Simulators.Fleet;

namespace Ioc.Simulators.Devices;

/// <summary>Creates one behaviour model per device of a fleet, keyed by the seed so the same seed gives the same signals.</summary>
public static class DeviceModelFactory
{
    public static ulong DeviceKey(int seed, string deviceId) => StableHash.Combine((ulong)(uint)seed, StableHash.Of(deviceId));

    public static IReadOnlyList<DeviceModel> Create(FleetDefinition fleet, int seed)
    {
        var keyed = fleet.Devices.Select(d => (Device: d, Key: DeviceKey(seed, d.Id))).ToList();
        var dc = new DataCenterState(keyed, keyed.Count(k => k.Device.Type == DeviceTypes.Ups));
        return keyed.Select(k => Create(k.Device, k.Key, dc)).ToList();
    }

    private static DeviceModel Create(Device device, ulong key, DataCenterState dc) => device.Type switch
    {
        DeviceTypes.WifiAccessPoint => new WifiApModel(device, key),
        DeviceTypes.Switch or DeviceTypes.Router => new NetworkDeviceModel(device, key),
        DeviceTypes.Firewall => new FirewallModel(device, key),
        DeviceTypes.Server => new ServerModel(device, key, dc),
        DeviceTypes.Ups => new UpsModel(device, key, dc),
        DeviceTypes.Pdu => new PduModel(device, key, dc),
        DeviceTypes.Cooling => new CoolingModel(device, key, dc),
        DeviceTypes.EnvironmentSensor => new EnvSensorModel(device, key, dc),
        _ => throw new ArgumentException($"No behaviour model for device type '{device.Type}' (device {device.Id}).", nameof(device)),
    };
}
