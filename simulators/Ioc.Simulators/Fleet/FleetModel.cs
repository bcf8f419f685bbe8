using System.Text.Json.Serialization;
using Ioc.Contract;

namespace Ioc.Simulators.Fleet;

/// <summary>A district-level unit of the province (city, town or rural district).</summary>
/// <param name="Id">Lowercase slug, also the site id of its district center (e.g. <c>thanh-ha</c>).</param>
/// <param name="Name">Vietnamese display name (e.g. <c>Thanh Hà</c>).</param>
/// <param name="Code">Two-letter code used in device ids (e.g. <c>TH</c>).</param>
public sealed record District(string Id, string Name, string Code);

/// <summary>A place that holds devices.</summary>
/// <param name="Id">Topic segment <c>{site}</c>: a lowercase slug.</param>
/// <param name="Name">Vietnamese display name.</param>
/// <param name="Kind">Role in the network.</param>
/// <param name="District">District id, or <see cref="FleetDefinition.ProvinceDistrict"/> for provincial sites (core, DC, departments).</param>
/// <param name="Parent">The site this one uplinks to (commune → district center → core; DC and departments → core); null for the core.</param>
public sealed record Site(
    string Id,
    string Name,
    [property: JsonConverter(typeof(JsonStringEnumConverter<SiteKind>))] SiteKind Kind,
    string District,
    string? Parent);

/// <summary>One simulated device.</summary>
/// <param name="Id">Topic segment <c>{deviceId}</c>, unique in the fleet (e.g. <c>TH-C03-AP2</c>).</param>
/// <param name="Type">One of <see cref="DeviceTypes.All"/>.</param>
/// <param name="Site">Site id.</param>
/// <param name="District">District id (copied from the site, so rules need no join).</param>
/// <param name="Tags">Placement tags (<c>row</c>, <c>rack</c>, <c>commune</c>, <c>role</c>, <c>interface</c>…); also sent as telemetry tags.</param>
public sealed record Device(
    string Id,
    string Type,
    string Site,
    string District,
    IReadOnlyDictionary<string, string> Tags)
{
    [JsonIgnore]
    public DeviceAddress Address => new(Site, Type, Id);

    public string? Tag(string key) => Tags.TryGetValue(key, out var value) ? value : null;
}
