namespace Ioc.Contract;

/// <summary>Limits of the telemetry contract (section <c>Ioc:Contract</c>).</summary>
public sealed class ContractOptions
{
    public const string SectionName = "Ioc:Contract";

    public int MaxPayloadBytes { get; set; } = 64 * 1024;

    public int MaxMetrics { get; set; } = 256;

    public int MaxTags { get; set; } = 32;

    public int MaxStringLength { get; set; } = 256;

    /// <summary>How far in the past a timestamp may lie (devices buffer while offline).</summary>
    public TimeSpan MaxPastAge { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How far in the future a timestamp may lie (clock skew).</summary>
    public TimeSpan MaxFutureSkew { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Device types accepted beyond <see cref="DeviceTypes.All"/>.</summary>
    public List<string> ExtraDeviceTypes { get; set; } = [];

    /// <summary>Metric types beyond <see cref="FieldSchema.Declared"/> (or overriding them), e.g. <c>Ioc:Contract:Metrics:fw_build=String</c>.</summary>
    public Dictionary<string, MetricType> Metrics { get; set; } = new(StringComparer.Ordinal);

    public IEnumerable<string> Validate()
    {
        if (MaxPayloadBytes is < 256 or > 16 * 1024 * 1024)
        {
            yield return $"{SectionName}:MaxPayloadBytes must be between 256 and 16777216 (was {MaxPayloadBytes}).";
        }

        if (MaxMetrics is < 1 or > 4096)
        {
            yield return $"{SectionName}:MaxMetrics must be between 1 and 4096 (was {MaxMetrics}).";
        }

        if (MaxTags is < 0 or > 256)
        {
            yield return $"{SectionName}:MaxTags must be between 0 and 256 (was {MaxTags}).";
        }

        if (MaxStringLength is < 1 or > 65536)
        {
            yield return $"{SectionName}:MaxStringLength must be between 1 and 65536 (was {MaxStringLength}).";
        }

        if (MaxPastAge <= TimeSpan.Zero || MaxFutureSkew < TimeSpan.Zero)
        {
            yield return $"{SectionName}:MaxPastAge must be positive and MaxFutureSkew not negative.";
        }

        foreach (var name in Metrics.Keys)
        {
            if (!Names.IsKey(name) || name.Contains(':', StringComparison.Ordinal))
            {
                yield return $"{SectionName}:Metrics entry '{name}' is not a metric name without ':' (a suffix such as :str is added by the contract, not declared).";
            }
        }

        foreach (var type in ExtraDeviceTypes)
        {
            if (!Names.IsSlug(type))
            {
                yield return $"{SectionName}:ExtraDeviceTypes entry '{type}' is not a lowercase slug [a-z0-9-]{{1,64}}.";
            }
        }
    }
}
