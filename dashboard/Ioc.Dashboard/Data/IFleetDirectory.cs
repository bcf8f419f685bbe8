using Ioc.Contract;

namespace Ioc.Dashboard.Data;

/// <summary>
/// Which devices exist and where. Bound now to the series the telemetry store lists (site, device, type tags);
/// the host may bind it to the simulators' or an inventory's fleet model instead.
/// </summary>
public interface IFleetDirectory
{
    Task<IReadOnlyList<FleetDevice>> ListAsync(CancellationToken cancellationToken);
}

/// <summary>A device of the fleet, with the district its site belongs to (null for the data center and unknown sites).</summary>
public sealed record FleetDevice(DeviceAddress Address, string? DistrictSlug)
{
    public string Key => Address.ToString();
}
