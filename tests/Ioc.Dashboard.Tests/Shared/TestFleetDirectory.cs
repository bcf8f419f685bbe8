using Ioc.Contract;
using Ioc.Dashboard.Data;
using Ioc.Dashboard.Live;

namespace Ioc.Dashboard.Tests.Shared;

/// <summary>A fleet of the devices the live store has heard of plus any added here.</summary>
public sealed class TestFleetDirectory(DeviceStateStore live) : IFleetDirectory
{
    public List<DeviceAddress> Extra { get; } = [];

    public Task<IReadOnlyList<FleetDevice>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<FleetDevice>>([.. live.Snapshot().Select(s => s.Address).Concat(Extra)
            .DistinctBy(a => a.ToString())
            .Select(a => new FleetDevice(a, Province.DistrictOf(a.Site)?.Slug))]);
}
