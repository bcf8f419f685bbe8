using System.Net;
using Ioc.Simulators.Fleet;

namespace Ioc.Simulators.Syslog;

/// <summary>
/// Section <c>Ioc:Simulators:Syslog</c>: simulated devices that send their events as syslog instead of MQTT, as real
/// firewalls do. Each such device sends from its own loopback address (<see cref="SimulatedSyslogAddresses"/>), which is
/// what the collector's <c>Ioc:Syslog:Senders</c> maps to the device.
/// </summary>
public sealed class SimulatedSyslogOptions
{
    public const string SectionName = "Ioc:Simulators:Syslog";

    /// <summary><c>tcp://127.0.0.1:5514</c> (RFC 6587 octet-counting) or <c>udp://127.0.0.1:5514</c>; empty: events over MQTT.</summary>
    public string? Target { get; set; }

    /// <summary>Device types whose events go as syslog (FortiGate-style key=value bodies).</summary>
    public List<string> DeviceTypes { get; set; } = ["firewall"];

    public IEnumerable<string> Validate()
    {
        if (!string.IsNullOrWhiteSpace(Target) && !SimulatedSyslogTarget.TryParse(Target, out _))
        {
            yield return $"{SectionName}:Target must be tcp://ADDRESS:PORT or udp://ADDRESS:PORT (was '{Target}').";
        }
    }
}

/// <summary>Where the simulated devices send syslog: a transport and an endpoint.</summary>
public sealed record SimulatedSyslogTarget(string Transport, IPEndPoint Endpoint)
{
    public static bool TryParse(string text, out SimulatedSyslogTarget? target)
    {
        target = null;
        var parts = text.Split("://", 2);
        if (parts.Length != 2 || parts[0] is not ("tcp" or "udp") || !IPEndPoint.TryParse(parts[1], out var endpoint) || endpoint.Port == 0)
        {
            return false;
        }

        target = new SimulatedSyslogTarget(parts[0], endpoint);
        return true;
    }

    public override string ToString() => $"{Transport}://{Endpoint}";
}

/// <summary>
/// Tells the syslog sink where to send, once the receiver is listening (in the all-in-one host the collector's listener
/// in the same process, whose port may be chosen by the system); null: send events over MQTT.
/// </summary>
public interface ISimulatedSyslogTargetSource
{
    SimulatedSyslogTarget? Target { get; }
}

/// <summary>The target from <c>Ioc:Simulators:Syslog:Target</c>.</summary>
public sealed class ConfiguredSyslogTarget(SimulatedSyslogOptions options) : ISimulatedSyslogTargetSource
{
    public SimulatedSyslogTarget? Target { get; } = !string.IsNullOrWhiteSpace(options.Target) && SimulatedSyslogTarget.TryParse(options.Target, out var target) ? target : null;
}

/// <summary>
/// The loopback address each syslog-sending simulated device sends from: the n-th such device of the fleet (fleet
/// order) is 127.1.{n / 250}.{n % 250 + 1}. Linux answers the whole of 127.0.0.0/8 on the loopback interface, so no
/// set-up is needed there. The collector's sender mapping is built from the same list (<see cref="SenderMap"/>).
/// </summary>
public static class SimulatedSyslogAddresses
{
    public static IReadOnlyDictionary<string, IPAddress> For(FleetDefinition fleet, IEnumerable<string> deviceTypes)
    {
        var types = deviceTypes.ToHashSet(StringComparer.Ordinal);
        var map = new Dictionary<string, IPAddress>(StringComparer.Ordinal);
        var n = 0;
        foreach (var device in fleet.Devices)
        {
            if (types.Contains(device.Type))
            {
                map[device.Id] = new IPAddress([127, 1, (byte)(n / 250), (byte)((n % 250) + 1)]);
                n++;
            }
        }

        return map;
    }

    /// <summary>The collector's <c>Ioc:Syslog:Senders:{address}</c> = <c>{site}/{type}/{id}</c> entries for these devices.</summary>
    public static IEnumerable<KeyValuePair<string, string>> SenderMap(FleetDefinition fleet, IEnumerable<string> deviceTypes)
    {
        var addresses = For(fleet, deviceTypes);
        foreach (var device in fleet.Devices)
        {
            if (addresses.TryGetValue(device.Id, out var address))
            {
                yield return new KeyValuePair<string, string>(address.ToString(), device.Address.ToString());
            }
        }
    }
}
