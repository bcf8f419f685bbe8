namespace Ioc.Dashboard.Configuration;

/// <summary>Section <c>Ioc:Dashboard:DataCenter</c>: which metrics the data-center view reads and where its thresholds lie.</summary>
public sealed class DataCenterOptions
{
    public const string SectionName = "Ioc:Dashboard:DataCenter";

    public string UpsLoadMetric { get; set; } = "load_pct";

    public string UpsBatteryMetric { get; set; } = "battery_pct";

    public string UpsRuntimeMetric { get; set; } = "runtime_min";

    public string PduPowerMetric { get; set; } = "power_kw";

    public string InletTemperatureMetric { get; set; } = "temp_c";

    public string HumidityMetric { get; set; } = "humidity_pct";

    /// <summary>Tag naming a device's rack (e.g. <c>R03</c>).</summary>
    public string RackTag { get; set; } = "rack";

    /// <summary>ASHRAE recommended inlet maximum 27 °C; allowable A1 maximum 32 °C.</summary>
    public double InletWarnC { get; set; } = 27;

    public double InletCriticalC { get; set; } = 32;

    public double HumidityWarnPct { get; set; } = 60;

    public double UpsLoadWarnPct { get; set; } = 80;

    public double UpsBatteryWarnPct { get; set; } = 50;
}
