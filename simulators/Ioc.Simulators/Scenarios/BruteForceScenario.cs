using System.Globalization;
using Ioc.Contract.Model;
using Ioc.Simulators.Determinism;
using Ioc.Simulators.Fleet;

namespace Ioc.Simulators.Scenarios;

/// <summary>
/// A password-guessing burst against a firewall's management or VPN login: <c>auth_failure</c> events from one
/// source address, cycling through common user names, at a fixed rate.
/// </summary>
public sealed class BruteForceScenario(Device firewall, string sourceIp, double perMinute, string service, DateTimeOffset start, TimeSpan duration)
    : Scenario(ScenarioName, start, duration)
{
    public const string ScenarioName = "brute-force";
    private static readonly string[] Users = ["admin", "root", "administrator", "vpn", "support", "test", "guest", "operator", "user", "ubnd"];

    public Device Firewall { get; } = firewall;

    public string SourceIp { get; } = sourceIp;

    public double PerMinute { get; } = perMinute;

    public override string Target => $"device={Firewall.Id} src_ip={SourceIp} rate={PerMinute}/min";

    public override void Emit(DateTimeOffset from, DateTimeOffset to, ScenarioOutput output)
    {
        var period = TimeSpan.FromMinutes(1 / PerMinute);
        foreach (var (index, at) in Ticks(from, to, period))
        {
            var user = Users[index % Users.Length];
            var port = 40000 + (int)(StableHash.Combine(StableHash.Of(SourceIp), (ulong)index) % 20000);
            output.Event(
                Firewall,
                at,
                "auth_failure",
                EventSeverity.Warning,
                $"Failed password for {user} from {SourceIp} port {port.ToString(CultureInfo.InvariantCulture)} {service}",
                [new("src_ip", SourceIp), new("user", user), new("service", service), new("src_port", port.ToString(CultureInfo.InvariantCulture))]);
        }
    }
}
