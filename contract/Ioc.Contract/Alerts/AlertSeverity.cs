namespace Ioc.Contract.Alerts;

/// <summary>How bad an alert is, in ascending order (so <c>severity &gt;= AlertSeverity.Major</c> reads naturally).</summary>
public enum AlertSeverity
{
    Info = 0,
    Warning = 1,
    Minor = 2,
    Major = 3,
    Critical = 4,
}

public static class AlertSeverities
{
    public static string Name(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Info => "info",
        AlertSeverity.Warning => "warning",
        AlertSeverity.Minor => "minor",
        AlertSeverity.Major => "major",
        AlertSeverity.Critical => "critical",
        _ => throw new ArgumentOutOfRangeException(nameof(severity)),
    };

    public static bool TryParse(string? text, out AlertSeverity severity)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "info": severity = AlertSeverity.Info; return true;
            case "warning": severity = AlertSeverity.Warning; return true;
            case "minor": severity = AlertSeverity.Minor; return true;
            case "major": severity = AlertSeverity.Major; return true;
            case "critical": severity = AlertSeverity.Critical; return true;
            default: severity = AlertSeverity.Info; return false;
        }
    }
}
