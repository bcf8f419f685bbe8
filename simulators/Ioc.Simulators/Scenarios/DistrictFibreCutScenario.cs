using Ioc.Simulators.Devices;
using Ioc.Simulators.Fleet;

namespace Ioc.Simulators.Scenarios;

/// <summary>
/// The fibre between the core and one district is cut: every device of the district center and its communes goes
/// silent; after <see cref="WillDelay"/> (1.5 × the 60 s keep-alive) the broker publishes each device's last will
/// (retained <c>offline</c>); at the end each device publishes <c>online</c> again and resumes telemetry.
/// </summary>
public sealed class DistrictFibreCutScenario : Scenario
{
    public const string ScenarioName = "district-fibre-cut";
    public static readonly TimeSpan WillDelay = TimeSpan.FromSeconds(90);
    private readonly HashSet<string> _affected;
    private readonly IReadOnlyList<Device> _devices;

    public DistrictFibreCutScenario(FleetDefinition fleet, string district, DateTimeOffset start, TimeSpan duration)
        : base(ScenarioName, start, duration)
    {
        District = district;
        var sites = fleet.Sites.Where(s => s.District == district && s.Kind is SiteKind.DistrictCenter or SiteKind.Commune)
            .Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        _devices = fleet.Devices.Where(d => sites.Contains(d.Site)).ToList();
        _affected = _devices.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
    }

    public string District { get; }

    public IReadOnlyList<Device> AffectedDevices => _devices;

    public override string Target => $"district={District} ({_devices.Count} devices)";

    public override void Apply(Device device, DateTimeOffset at, DeviceConditions conditions)
    {
        if (_affected.Contains(device.Id))
        {
            conditions.Unreachable = true;
        }
    }

    public override void Emit(DateTimeOffset from, DateTimeOffset to, ScenarioOutput output)
    {
        var willAt = Start + WillDelay;
        if (willAt < End && InWindow(willAt, from, to))
        {
            foreach (var device in _devices)
            {
                output.Status(device, willAt, online: false, fromWill: true);
            }
        }

        if (InWindow(End, from, to))
        {
            foreach (var device in _devices)
            {
                output.Status(device, End, online: true, fromWill: false);
            }
        }
    }
}
