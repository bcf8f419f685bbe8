using MudBlazor;

namespace Ioc.Dashboard.Components.Layout;

/// <summary>A dark, high-contrast theme for a 24/7 operations room; system fonts only (no font download).</summary>
public static class DashboardTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteDark = new PaletteDark
        {
            Primary = "#4fc3f7",
            Secondary = "#ffb74d",
            AppbarBackground = "#101822",
            Background = "#0b1118",
            Surface = "#131d28",
            DrawerBackground = "#101822",
            Success = "#43a047",
            Warning = "#f9a825",
            Error = "#e53935",
            Info = "#29b6f6",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["Segoe UI", "Noto Sans", "DejaVu Sans", "Arial", "sans-serif"] },
        },
    };
}
