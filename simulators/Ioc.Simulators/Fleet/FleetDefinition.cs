using Ioc.Contract;

namespace Ioc.Simulators.Fleet;

/// <summary>
/// The explicit fleet: districts, sites and devices. This is what a fleet file holds (see docs/simulators.md)
/// and what the dashboard (topology, DC view) and the alert engine (device → district) read.
/// </summary>
public sealed class FleetDefinition
{
    /// <summary>The pseudo-district of province-level sites (core, data center, departments).</summary>
    public const string ProvinceDistrict = "tinh";

    private readonly Dictionary<string, Site> _sites;
    private readonly Dictionary<string, Device> _devices;
    private readonly Dictionary<string, District> _districts;
    private readonly Dictionary<string, List<Site>> _children;

    public FleetDefinition(string province, IReadOnlyList<District> districts, IReadOnlyList<Site> sites, IReadOnlyList<Device> devices)
    {
        Province = province;
        Districts = districts;
        Sites = sites;
        Devices = devices;
        _districts = districts.ToDictionary(d => d.Id, StringComparer.Ordinal);
        _sites = sites.ToDictionary(s => s.Id, StringComparer.Ordinal);
        _devices = devices.ToDictionary(d => d.Id, StringComparer.Ordinal);
        _children = sites.Where(s => s.Parent is not null)
            .GroupBy(s => s.Parent!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
    }

    public string Province { get; }

    /// <summary>The district-level units (12 for Hải Dương); province-level sites use <see cref="ProvinceDistrict"/>.</summary>
    public IReadOnlyList<District> Districts { get; }

    public IReadOnlyList<Site> Sites { get; }

    public IReadOnlyList<Device> Devices { get; }

    public Site? FindSite(string id) => _sites.GetValueOrDefault(id);

    public Device? FindDevice(string id) => _devices.GetValueOrDefault(id);

    public District? FindDistrict(string id) => _districts.GetValueOrDefault(id);

    /// <summary>The device a topic address names, or null when it is not in this fleet.</summary>
    public Device? FindDevice(DeviceAddress address) =>
        _devices.TryGetValue(address.DeviceId, out var device) && device.Site == address.Site && device.Type == address.DeviceType ? device : null;

    /// <summary>Sites whose parent is <paramref name="siteId"/> (core → district centers, DC, departments; district → communes).</summary>
    public IReadOnlyList<Site> Children(string siteId) => _children.TryGetValue(siteId, out var list) ? list : [];

    public IEnumerable<Device> DevicesAt(string siteId) => Devices.Where(d => d.Site == siteId);

    public IEnumerable<Device> DevicesInDistrict(string districtId) => Devices.Where(d => d.District == districtId);

    public IEnumerable<Site> SitesOfKind(SiteKind kind) => Sites.Where(s => s.Kind == kind);

    /// <summary>Checks the invariants a fleet file must satisfy; returns every problem found.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        var districtIds = new HashSet<string>(StringComparer.Ordinal) { ProvinceDistrict };
        foreach (var district in Districts)
        {
            if (!Names.IsSlug(district.Id) || !districtIds.Add(district.Id))
            {
                errors.Add($"district '{district.Id}' is not a unique lowercase slug");
            }
        }

        var siteIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var site in Sites)
        {
            if (!Names.IsSlug(site.Id) || site.Id.StartsWith('_') || !siteIds.Add(site.Id))
            {
                errors.Add($"site '{site.Id}' is not a unique lowercase slug");
            }

            if (!districtIds.Contains(site.District))
            {
                errors.Add($"site '{site.Id}' names unknown district '{site.District}'");
            }
        }

        foreach (var site in Sites.Where(s => s.Parent is not null && !siteIds.Contains(s.Parent)))
        {
            errors.Add($"site '{site.Id}' names unknown parent '{site.Parent}'");
        }

        var deviceIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var device in Devices)
        {
            if (!Names.IsDeviceId(device.Id) || !deviceIds.Add(device.Id))
            {
                errors.Add($"device '{device.Id}' is not a unique id [A-Za-z0-9_.-]{{1,64}}");
            }

            if (!DeviceTypes.All.Contains(device.Type))
            {
                errors.Add($"device '{device.Id}' has unknown type '{device.Type}'");
            }

            if (!_sites.TryGetValue(device.Site, out var site))
            {
                errors.Add($"device '{device.Id}' names unknown site '{device.Site}'");
            }
            else if (site.District != device.District)
            {
                errors.Add($"device '{device.Id}' district '{device.District}' differs from its site's '{site.District}'");
            }

            foreach (var (key, value) in device.Tags)
            {
                if (!Names.IsKey(key) || !Names.IsTagValue(value, 256) || key is "site" or "device" or "device_type")
                {
                    errors.Add($"device '{device.Id}' has invalid tag '{key}'");
                }
            }
        }

        return errors;
    }
}
