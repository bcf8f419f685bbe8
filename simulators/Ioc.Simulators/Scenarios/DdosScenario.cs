using System.Globalization;
using Ioc.Contract;
using Ioc.Contract.Model;
using Ioc.Simulators.Devices;
using Ioc.Simulators.Fleet;

namespace Ioc.Simulators.Scenarios;

/// <summary>
/// A volumetric DDoS on the internet edge: over the first minute the edge firewall's <c>throughput_mbps</c> ramps to
/// <see cref="Factor"/> × normal and <c>pps</c> to <see cref="PacketFactor"/> × normal, <c>sessions</c> and <c>cpu_pct</c>
/// jump; the core routers' <c>if_in_octets</c> grow as fast. The firewall's IPS raises <c>ddos_suspected</c> after one minute.
/// </summary>
public sealed class DdosScenario(Device firewall, double factor, double packetFactor, string targetIp, DateTimeOffset start, TimeSpan duration)
    : Scenario(ScenarioName, start, duration)
{
    public const string ScenarioName = "ddos";
    public static readonly TimeSpan Ramp = TimeSpan.FromMinutes(1);

    public Device Firewall { get; } = firewall;

    public double Factor { get; } = factor;

    public double PacketFactor { get; } = packetFactor;

    public string TargetIp { get; } = targetIp;

    public override string Target => $"device={Firewall.Id} factor={Factor} pps_factor={PacketFactor}";

    public override void Apply(Device device, DateTimeOffset at, DeviceConditions conditions)
    {
        var ramp = Math.Clamp((at - Start) / Ramp, 0, 1);
        if (device.Id == Firewall.Id)
        {
            conditions.TrafficFactor *= 1 + ((Factor - 1) * ramp);
            conditions.PacketFactor *= 1 + ((PacketFactor - 1) * ramp);
        }
        else if (device.Site == Firewall.Site && device.Type == DeviceTypes.Router)
        {
            conditions.TrafficFactor *= 1 + ((Factor - 1) * ramp);
        }
    }

    public override void Emit(DateTimeOffset from, DateTimeOffset to, ScenarioOutput output)
    {
        var at = Start + Ramp;
        if (at < End && InWindow(at, from, to))
        {
            output.Event(
                Firewall,
                at,
                "ddos_suspected",
                EventSeverity.Critical,
                $"Volumetric attack suspected toward {TargetIp}: traffic {Factor.ToString(CultureInfo.InvariantCulture)}× baseline",
                [new("target_ip", TargetIp), new("factor", Factor.ToString(CultureInfo.InvariantCulture)), new("vector", "udp_flood")]);
        }
    }
}
