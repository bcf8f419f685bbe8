namespace Ioc.Dashboard.Configuration;

/// <summary>
/// Section <c>Ioc:Dashboard:DataCenter</c>: which tags place a device on the floor plan, which metrics the data-center
/// view reads, and where its thresholds and heat-map bands lie.
/// </summary>
public sealed class DataCenterOptions
{
    public const string SectionName = "Ioc:Dashboard:DataCenter";

    public string UpsLoadMetric { get; set; } = "load_pct";

    public string UpsBatteryMetric { get; set; } = "battery_pct";

    public string UpsRuntimeMetric { get; set; } = "runtime_min";

    /// <summary>Boolean: the UPS runs on its battery (mains lost).</summary>
    public string UpsOnBatteryMetric { get; set; } = "on_battery";

    public string PduPowerMetric { get; set; } = "power_kw";

    public string InletTemperatureMetric { get; set; } = "temp_c";

    public string HumidityMetric { get; set; } = "humidity_pct";

    /// <summary>Boolean: the CRAC's compressor runs; false is a failed unit.</summary>
    public string CracCompressorOkMetric { get; set; } = "compressor_ok";

    /// <summary>Boolean: the CRAC's fans run; false is a failed unit.</summary>
    public string CracFanOkMetric { get; set; } = "fan_ok";

    public string CracSupplyTemperatureMetric { get; set; } = "supply_temp_c";

    public string CracCoolingPowerMetric { get; set; } = "cooling_kw";

    /// <summary>Tag naming a device's rack (e.g. <c>B03</c>).</summary>
    public string RackTag { get; set; } = "rack";

    /// <summary>Tag naming a device's row (e.g. <c>B</c>); CRAC and UPS units carry it without a rack.</summary>
    public string RowTag { get; set; } = "row";

    /// <summary>ASHRAE recommended inlet maximum 27 °C; allowable A1 maximum 32 °C.</summary>
    public double InletWarnC { get; set; } = 27;

    public double InletCriticalC { get; set; } = 32;

    /// <summary>The heat map's default band boundaries: 27 (recommended maximum) and 32 (allowable maximum) are band edges.</summary>
    public static readonly IReadOnlyList<double> DefaultHeatScale = [18, 21, 24, 27, 30, 32, 35];

    /// <summary>
    /// Boundaries (°C, ascending) of the inlet heat map's bands: n boundaries make n + 1 colours, from "below the first"
    /// to "the last and above". Unset: <see cref="DefaultHeatScale"/> (null by default because the configuration binder
    /// appends to an array that already has elements).
    /// </summary>
    public double[]? HeatScaleC { get; set; }

    public IReadOnlyList<double> HeatScale => HeatScaleC is { Length: > 0 } scale ? scale : DefaultHeatScale;

    public double HumidityWarnPct { get; set; } = 60;

    public double UpsLoadWarnPct { get; set; } = 80;

    public double UpsBatteryWarnPct { get; set; } = 50;

    /// <summary>Every problem with the settings, each naming its key and the fix.</summary>
    public IEnumerable<string> Validate()
    {
        var scale = HeatScale;
        if (scale.Count > 9)
        {
            yield return $"{SectionName}:HeatScaleC must list 1 to 9 temperatures (was {scale.Count}).";
        }

        for (var i = 1; i < scale.Count; i++)
        {
            if (!(scale[i] > scale[i - 1]))
            {
                yield return $"{SectionName}:HeatScaleC must be strictly ascending ({scale[i - 1]} is followed by {scale[i]}).";
            }
        }

        if (string.IsNullOrWhiteSpace(RowTag) || string.IsNullOrWhiteSpace(RackTag))
        {
            yield return $"{SectionName}:RowTag and RackTag must name tags (e.g. 'row' and 'rack').";
        }

        if (InletCriticalC <= InletWarnC)
        {
            yield return $"{SectionName}:InletCriticalC ({InletCriticalC}) must lie above InletWarnC ({InletWarnC}).";
        }
    }
}
