using System.Globalization;
using Ioc.Contract.Model;
using Ioc.Simulators.Determinism;
using Ioc.Simulators.Fleet;

namespace Ioc.Simulators.Scenarios;

/// <summary>
/// An unauthorised access point imitating the public network appears near one of our APs, whose wireless IDS reports
/// a <c>rogue_ap</c> event at the start and again every <see cref="Every"/> while it stays on air.
/// </summary>
public sealed class RogueApScenario : Scenario
{
    public const string ScenarioName = "rogue-ap";

    public RogueApScenario(Device accessPoint, string ssid, TimeSpan every, int seed, DateTimeOffset start, TimeSpan duration)
        : base(ScenarioName, start, duration)
    {
        AccessPoint = accessPoint;
        Ssid = ssid;
        Every = every;
        var h = StableHash.Combine((ulong)(uint)seed, StableHash.Of(accessPoint.Id), 0xA9UL);
        Bssid = string.Join(':', Enumerable.Range(0, 6).Select(i => i == 0 ? "02" : ((h >> (i * 8)) & 0xFF).ToString("X2", CultureInfo.InvariantCulture)));
        Channel = new[] { 1, 6, 11 }[(int)(h % 3)];
    }

    public Device AccessPoint { get; }

    public string Ssid { get; }

    public string Bssid { get; }

    public int Channel { get; }

    public TimeSpan Every { get; }

    public override string Target => $"device={AccessPoint.Id} bssid={Bssid}";

    public override void Emit(DateTimeOffset from, DateTimeOffset to, ScenarioOutput output)
    {
        foreach (var (index, at) in Ticks(from, to, Every))
        {
            var rssi = -45 - (int)(StableHash.Combine(StableHash.Of(Bssid), (ulong)index) % 20);
            output.Event(
                AccessPoint,
                at,
                "rogue_ap",
                EventSeverity.Major,
                $"Rogue AP '{Ssid}' ({Bssid}) detected on channel {Channel.ToString(CultureInfo.InvariantCulture)}",
                [new("bssid", Bssid), new("ssid", Ssid), new("channel", Channel.ToString(CultureInfo.InvariantCulture)), new("rssi_dbm", rssi.ToString(CultureInfo.InvariantCulture))]);
        }
    }
}
