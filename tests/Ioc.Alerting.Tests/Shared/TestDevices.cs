using Ioc.Contract;

namespace Ioc.Alerting.Tests.Shared;

public static class TestDevices
{
    public static readonly DeviceAddress DcSensor = new("dc-tinh", "env-sensor", "DC-ENV-01");
    public static readonly DeviceAddress DcSensor2 = new("dc-tinh", "env-sensor", "DC-ENV-02");
    public static readonly DeviceAddress DcUps = new("dc-tinh", "ups", "DC-UPS-01");
    public static readonly DeviceAddress DcFirewall = new("dc-tinh", "firewall", "DC-FW-01");
    public static readonly DeviceAddress DcServer = new("dc-tinh", "server", "DC-SRV-01");
    public static readonly DeviceAddress ThSwitch = new("thanh-ha", "switch", "TH-SW-01");

    public static DeviceAddress ThanhHaAp(int i) => new(i % 2 == 0 ? "thanh-ha" : "thanh-ha-thanh-son", "wifi-ap", $"TH-AP-{i:D4}");

    public static DeviceAddress TuKyAp(int i) => new("tu-ky-ngoc-son", "wifi-ap", $"TK-AP-{i:D4}");
}
