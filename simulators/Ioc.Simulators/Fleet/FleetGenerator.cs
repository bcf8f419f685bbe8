using System.Globalization;
using Ioc.Contract;
using Ioc.Simulators.Determinism;

namespace Ioc.Simulators.Fleet;

/// <summary>Builds a <see cref="FleetDefinition"/> from a <see cref="FleetSpec"/> and a seed: same inputs, same fleet.</summary>
public static class FleetGenerator
{
    public const string CoreSite = "core";
    public const string DataCenterSite = "dc-tinh";
    public const string EdgeFirewall = "CORE-FW-EDGE";

    private static readonly string[] Places = ["ubnd-xa", "nha-van-hoa", "cho", "truong-hoc", "tram-y-te", "quang-truong", "buu-dien"];

    public static FleetDefinition Generate(FleetSpec spec, int seed)
    {
        var problems = spec.Validate().ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid fleet spec: " + string.Join(" ", problems), nameof(spec));
        }

        var random = new SeededRandom(StableHash.Combine(0xF1EE7UL, (ulong)seed));
        var districts = spec.Districts.Select(d => new District(d.Id, d.Name, d.Code)).ToList();
        var sites = new List<Site>();
        var devices = new List<Device>();
        const string province = FleetDefinition.ProvinceDistrict;

        sites.Add(new Site(CoreSite, "Lõi mạng tỉnh", SiteKind.Core, province, null));
        for (var i = 1; i <= spec.CoreRouters; i++)
        {
            devices.Add(Make($"CORE-RTR{i:00}", DeviceTypes.Router, CoreSite, province, ("role", "core"), ("interface", "Hu0/0/0")));
        }

        for (var i = 1; i <= spec.CoreSwitches; i++)
        {
            devices.Add(Make($"CORE-SW{i:00}", DeviceTypes.Switch, CoreSite, province, ("role", "core"), ("interface", "Hu1/0/1")));
        }

        devices.Add(Make(EdgeFirewall, DeviceTypes.Firewall, CoreSite, province, ("role", "edge")));

        AddDataCenter(spec, sites, devices);

        foreach (var district in spec.Districts)
        {
            AddDistrict(spec, district, random, sites, devices);
        }

        for (var i = 0; i < spec.Departments.Count; i++)
        {
            var name = spec.Departments[i];
            var siteId = Slug.From(name);
            var code = $"D{i + 1:00}";
            sites.Add(new Site(siteId, name, SiteKind.Department, province, CoreSite));
            devices.Add(Make($"{code}-RTR", DeviceTypes.Router, siteId, province, ("role", "department"), ("department", siteId), ("interface", "Gi0/0/0")));
            devices.Add(Make($"{code}-SW", DeviceTypes.Switch, siteId, province, ("role", "department"), ("department", siteId), ("interface", "Gi1/0/48")));
            devices.Add(Make($"{code}-FW", DeviceTypes.Firewall, siteId, province, ("role", "department"), ("department", siteId)));
            for (var ap = 1; ap <= spec.ApsPerDepartment; ap++)
            {
                devices.Add(Make($"{code}-AP{ap}", DeviceTypes.WifiAccessPoint, siteId, province, ("role", "office"), ("department", siteId)));
            }
        }

        return new FleetDefinition(spec.Province, districts, sites, devices);
    }

    private static void AddDataCenter(FleetSpec spec, List<Site> sites, List<Device> devices)
    {
        const string dc = DataCenterSite;
        const string province = FleetDefinition.ProvinceDistrict;
        sites.Add(new Site(dc, "Trung tâm dữ liệu tỉnh", SiteKind.DataCenter, province, CoreSite));
        // Row-end UPS units, spread over the rows in turn (UPS01 at row A, UPS02 at row B, …): the floor plan places them by this tag.
        for (var u = 1; u <= spec.UpsUnits; u++)
        {
            var row = ((char)('A' + ((u - 1) % spec.DataCenterRows))).ToString();
            devices.Add(Make($"DC-UPS{u:00}", DeviceTypes.Ups, dc, province, ("role", "ups"), ("feed", u % 2 == 1 ? "A" : "B"), ("row", row)));
        }

        for (var r = 0; r < spec.DataCenterRows; r++)
        {
            var row = ((char)('A' + r)).ToString();
            for (var c = 1; c <= spec.CracPerRow; c++)
            {
                devices.Add(Make($"DC-CRAC-{row}{c}", DeviceTypes.Cooling, dc, province, ("row", row), ("role", "crac")));
            }

            for (var k = 1; k <= spec.RacksPerRow; k++)
            {
                var rack = string.Create(CultureInfo.InvariantCulture, $"{row}{k:00}");
                devices.Add(Make($"DC-{rack}-ENV", DeviceTypes.EnvironmentSensor, dc, province, ("row", row), ("rack", rack), ("position", "inlet")));
                devices.Add(Make($"DC-{rack}-PDU-A", DeviceTypes.Pdu, dc, province, ("row", row), ("rack", rack), ("feed", "A")));
                devices.Add(Make($"DC-{rack}-PDU-B", DeviceTypes.Pdu, dc, province, ("row", row), ("rack", rack), ("feed", "B")));
                for (var s = 1; s <= spec.ServersPerRack; s++)
                {
                    devices.Add(Make($"DC-{rack}-SRV{s:00}", DeviceTypes.Server, dc, province, ("row", row), ("rack", rack), ("slot", s.ToString(CultureInfo.InvariantCulture))));
                }
            }
        }
    }

    private static void AddDistrict(FleetSpec spec, DistrictSpec district, SeededRandom random, List<Site> sites, List<Device> devices)
    {
        var code = district.Code;
        sites.Add(new Site(district.Id, "Trung tâm " + district.Name, SiteKind.DistrictCenter, district.Id, CoreSite));
        for (var i = 1; i <= spec.AggregationSwitchesPerDistrict; i++)
        {
            devices.Add(Make($"{code}-AGG-SW{i:00}", DeviceTypes.Switch, district.Id, district.Id, ("role", "aggregation"), ("interface", "Te1/1/1")));
        }

        devices.Add(Make($"{code}-RTR01", DeviceTypes.Router, district.Id, district.Id, ("role", "district"), ("interface", "Te0/0/0")));
        devices.Add(Make($"{code}-FW01", DeviceTypes.Firewall, district.Id, district.Id, ("role", "district")));
        for (var i = 1; i <= spec.ApsPerDistrictCenter; i++)
        {
            devices.Add(Make($"{code}-AP{i:00}", DeviceTypes.WifiAccessPoint, district.Id, district.Id, ("role", "public"), ("place", "quang-truong")));
        }

        var names = CommuneNames.Pool.ToList();
        random.Shuffle(names);
        for (var c = 1; c <= district.Communes; c++)
        {
            var name = names[(c - 1) % names.Count];
            var slug = Slug.From(name);
            var siteId = $"{district.Id}-{slug}";
            if (sites.Any(s => s.Id == siteId))
            {
                siteId = string.Create(CultureInfo.InvariantCulture, $"{siteId}-{c}");
            }

            sites.Add(new Site(siteId, "Xã " + name, SiteKind.Commune, district.Id, district.Id));
            var prefix = string.Create(CultureInfo.InvariantCulture, $"{code}-C{c:00}");
            devices.Add(Make($"{prefix}-SW", DeviceTypes.Switch, siteId, district.Id, ("role", "access"), ("commune", slug), ("interface", "Gi1/0/1")));
            var aps = random.Next(spec.MinApsPerCommune, spec.MaxApsPerCommune);
            for (var a = 1; a <= aps; a++)
            {
                var place = Places[random.Next(0, Places.Length - 1)];
                devices.Add(Make($"{prefix}-AP{a}", DeviceTypes.WifiAccessPoint, siteId, district.Id, ("role", "public"), ("commune", slug), ("place", place)));
            }
        }
    }

    private static Device Make(string id, string type, string site, string district, params (string Key, string Value)[] tags) =>
        new(id, type, site, district, tags.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal));
}
