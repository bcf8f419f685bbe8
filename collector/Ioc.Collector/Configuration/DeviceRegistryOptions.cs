namespace Ioc.Collector.Configuration;

/// <summary>Section <c>Ioc:Devices</c>: which devices the collector accepts messages from.</summary>
public sealed class DeviceRegistryOptions
{
    public const string SectionName = "Ioc:Devices";

    /// <summary>
    /// Accept messages from devices that have no credential in the registry. Off in production (they are dead-lettered
    /// <c>unknown_device</c>); on in the all-in-one, whose simulated fleet connects with a per-start device password.
    /// </summary>
    public bool AutoRegister { get; set; }

    /// <summary>How often the collector reloads its copy of the registry: a newly issued device is accepted within this time.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The most device ids kept in memory; a larger registry fails loudly rather than growing without bound.</summary>
    public int MaxDevices { get; set; } = 1_000_000;

    public IEnumerable<string> Validate()
    {
        if (RefreshInterval < TimeSpan.FromSeconds(1))
        {
            yield return $"{SectionName}:RefreshInterval must be at least 00:00:01 (was {RefreshInterval}).";
        }

        if (MaxDevices < 1)
        {
            yield return $"{SectionName}:MaxDevices must be positive (was {MaxDevices}).";
        }
    }
}
