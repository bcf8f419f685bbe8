using Ioc.Contract;
using Ioc.Contract.Model;

namespace Ioc.Alerting.Rules;

/// <summary>
/// Which devices a rule applies to. Each non-empty list must contain the device's value; every tag must be present on the
/// point with the given value. An empty scope matches every device.
/// </summary>
public sealed class RuleScope
{
    public static RuleScope All { get; } = new([], [], [], [], new Dictionary<string, string>());

    public RuleScope(
        IReadOnlyCollection<string> deviceTypes,
        IReadOnlyCollection<string> sites,
        IReadOnlyCollection<string> districts,
        IReadOnlyCollection<string> devices,
        IReadOnlyDictionary<string, string> tags)
    {
        DeviceTypes = deviceTypes.ToHashSet(StringComparer.Ordinal);
        Sites = sites.ToHashSet(StringComparer.Ordinal);
        Districts = districts.ToHashSet(StringComparer.Ordinal);
        Devices = devices.ToHashSet(StringComparer.Ordinal);
        Tags = tags;
    }

    public IReadOnlySet<string> DeviceTypes { get; }

    public IReadOnlySet<string> Sites { get; }

    public IReadOnlySet<string> Districts { get; }

    /// <summary>Device ids (the topic's <c>deviceId</c>).</summary>
    public IReadOnlySet<string> Devices { get; }

    public IReadOnlyDictionary<string, string> Tags { get; }

    /// <summary>Matches the device itself (type, site, district, id); tags are checked per point with <see cref="MatchesTags"/>.</summary>
    public bool MatchesDevice(DeviceAddress device, string? district) =>
        (DeviceTypes.Count == 0 || DeviceTypes.Contains(device.DeviceType))
        && (Sites.Count == 0 || Sites.Contains(device.Site))
        && (Districts.Count == 0 || (district is not null && Districts.Contains(district)))
        && (Devices.Count == 0 || Devices.Contains(device.DeviceId));

    public bool MatchesTags(Point point)
    {
        foreach (var (key, value) in Tags)
        {
            if (point.GetTag(key) != value)
            {
                return false;
            }
        }

        return true;
    }
}
