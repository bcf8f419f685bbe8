namespace Ioc.Contract;

/// <summary>The device types the contract knows. Deployments may add more through <see cref="ContractOptions.ExtraDeviceTypes"/>.</summary>
public static class DeviceTypes
{
    public const string WifiAccessPoint = "wifi-ap";
    public const string Switch = "switch";
    public const string Router = "router";
    public const string Firewall = "firewall";
    public const string Server = "server";
    public const string Ups = "ups";
    public const string Pdu = "pdu";
    public const string Cooling = "cooling";
    public const string EnvironmentSensor = "env-sensor";

    /// <summary>An Ioc collector reporting its own health (<c>ioc/v1/ioc-core/collector/{id}/telemetry</c>), alerted on like any device.</summary>
    public const string Collector = "collector";

    public static IReadOnlyList<string> All { get; } =
        [WifiAccessPoint, Switch, Router, Firewall, Server, Ups, Pdu, Cooling, EnvironmentSensor, Collector];
}
