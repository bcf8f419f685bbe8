namespace Ioc.Dashboard.Components.Controls;

/// <summary>A horizontal line on a chart; tone is warn or bad.</summary>
public sealed record ChartThreshold(double Value, string Label, string Tone = "warn");
