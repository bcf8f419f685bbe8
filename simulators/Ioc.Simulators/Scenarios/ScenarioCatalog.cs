using Ioc.Contract;
using Ioc.Simulators.Fleet;

namespace Ioc.Simulators.Scenarios;

/// <summary>A scenario the simulator knows: its name, what it does, its parameters and their defaults.</summary>
public sealed record ScenarioDescriptor(string Name, string Summary, string Parameters, Func<ScenarioArguments, Scenario> Create);

/// <summary>The nine scenarios, documented in docs/scenarios.md.</summary>
public static class ScenarioCatalog
{
    public static IReadOnlyList<ScenarioDescriptor> All { get; } =
    [
        new(DistrictFibreCutScenario.ScenarioName, "Every device of one district goes silent; wills announce them offline; they return at the end.",
            "district=thanh-ha, duration=15m",
            a => new DistrictFibreCutScenario(a.Fleet, District(a), a.Start, a.Duration(TimeSpan.FromMinutes(15)))),
        new(CracFailureScenario.ScenarioName, "A row's CRAC fails; its inlet temperatures climb.",
            "row=B, duration=30m",
            a => new CracFailureScenario(Row(a), a.Start, a.Duration(TimeSpan.FromMinutes(30)))),
        new(MainsPowerLossScenario.ScenarioName, "Utility power lost: UPS on battery, battery drains, then recovery.",
            "duration=20m",
            a => new MainsPowerLossScenario(a.Start, a.Duration(TimeSpan.FromMinutes(20)))),
        new(BruteForceScenario.ScenarioName, "auth_failure events from one source on a firewall.",
            "device=CORE-FW-EDGE, src_ip=203.0.113.77, rate=30 (per minute), service=ssh, duration=10m",
            a => new BruteForceScenario(
                a.Device("device", DeviceTypes.Firewall, [FleetGenerator.EdgeFirewall]),
                a.Text("src_ip", "203.0.113.77"),
                a.Number("rate", 30, 0.1, 6000),
                a.Text("service", "ssh"),
                a.Start,
                a.Duration(TimeSpan.FromMinutes(10)))),
        new(RogueApScenario.ScenarioName, "A rogue access point imitating the public SSID is detected.",
            "device=<first AP in tu-ky>, ssid=HaiDuong_Free_WiFi, every=5m, duration=30m",
            a => new RogueApScenario(
                a.Device("device", DeviceTypes.WifiAccessPoint, [], d => d.District == "tu-ky" && d.Tag("commune") is not null),
                a.Text("ssid", "HaiDuong_Free_WiFi"),
                a.Period("every", TimeSpan.FromMinutes(5)),
                a.Seed,
                a.Start,
                a.Duration(TimeSpan.FromMinutes(30)))),
        new(DdosScenario.ScenarioName, "Traffic spike on the internet-edge firewall.",
            "device=CORE-FW-EDGE, factor=20, pps_factor=60, target_ip=198.51.100.20, duration=10m",
            a => new DdosScenario(
                a.Device("device", DeviceTypes.Firewall, [FleetGenerator.EdgeFirewall]),
                a.Number("factor", 20, 1, 1000),
                a.Number("pps_factor", 60, 1, 10000),
                a.Text("target_ip", "198.51.100.20"),
                a.Start,
                a.Duration(TimeSpan.FromMinutes(10)))),
        new(LinkFlapScenario.ScenarioName, "A switch uplink goes down and up repeatedly.",
            "device=NS-AGG-SW01, period=40s, down=12s, duration=10m",
            a => LinkFlap(a)),
        new(DiskFillScenario.ScenarioName, "A server's root disk fills up.",
            "device=DC-A01-SRV01, rate=2 (points per minute), duration=40m",
            a => new DiskFillScenario(
                a.Device("device", DeviceTypes.Server, ["DC-A01-SRV01"]),
                a.Number("rate", 2, 0.01, 100),
                a.Start,
                a.Duration(TimeSpan.FromMinutes(40)))),
        new(MalformedPayloadScenario.ScenarioName, "A device sends broken payloads, one per period, each refused for a known reason.",
            "device=GL-C01-AP1, every=20s, duration=10m",
            a => new MalformedPayloadScenario(
                a.Device("device", DeviceTypes.WifiAccessPoint, ["GL-C01-AP1"]),
                a.Period("every", TimeSpan.FromSeconds(20)),
                a.Start,
                a.Duration(TimeSpan.FromMinutes(10)))),
    ];

    public static ScenarioDescriptor? Find(string name) => All.FirstOrDefault(d => d.Name == name);

    /// <summary>Builds the scenario a spec names, starting at <paramref name="origin"/> + its offset.</summary>
    /// <exception cref="ArgumentException">Unknown name, unknown parameter, or a target not in the fleet.</exception>
    public static Scenario Create(ScenarioSpec spec, FleetDefinition fleet, DateTimeOffset origin, int seed)
    {
        var descriptor = Find(spec.Name)
            ?? throw new ArgumentException($"Unknown scenario '{spec.Name}'. Known: {string.Join(", ", All.Select(d => d.Name))}.");
        var arguments = new ScenarioArguments(spec, fleet, origin, seed);
        var scenario = descriptor.Create(arguments);
        arguments.EnsureAllUsed();
        return scenario;
    }

    private static string District(ScenarioArguments a)
    {
        var id = a.Text("district", a.Fleet.FindDistrict("thanh-ha") is not null ? "thanh-ha" : a.Fleet.Districts.FirstOrDefault()?.Id ?? "");
        return a.Fleet.FindDistrict(id) is not null ? id : throw a.Fail($"district '{id}' is not one of: {string.Join(", ", a.Fleet.Districts.Select(d => d.Id))}");
    }

    private static string Row(ScenarioArguments a)
    {
        var rows = a.Fleet.Devices.Where(d => d.Type == DeviceTypes.Cooling).Select(d => d.Tag("row")).OfType<string>().Distinct().Order().ToList();
        var row = a.Text("row", rows.Contains("B") ? "B" : rows.FirstOrDefault() ?? "");
        return rows.Contains(row) ? row : throw a.Fail($"row '{row}' has no cooling unit (rows: {string.Join(", ", rows)})");
    }

    private static LinkFlapScenario LinkFlap(ScenarioArguments a)
    {
        var device = a.Fleet.FindDevice(a.Text("device", "NS-AGG-SW01")) is { Type: DeviceTypes.Switch or DeviceTypes.Router } named
            ? named
            : a.Device("device", DeviceTypes.Switch, [], d => d.Tag("role") == "aggregation");
        var period = a.Period("period", TimeSpan.FromSeconds(40));
        var down = a.Period("down", TimeSpan.FromSeconds(12));
        if (down >= period)
        {
            throw a.Fail("down must be shorter than period");
        }

        return new LinkFlapScenario(device, period, down, a.Start, a.Duration(TimeSpan.FromMinutes(10)));
    }
}
