namespace Ioc.Contract.Alerts;

/// <summary>The lifecycle: firing → acknowledged → resolved (resolved may also follow firing directly).</summary>
public enum AlertState
{
    Firing,
    Acknowledged,
    Resolved,
}

public static class AlertStates
{
    public static string Name(AlertState state) => state switch
    {
        AlertState.Firing => "firing",
        AlertState.Acknowledged => "acknowledged",
        AlertState.Resolved => "resolved",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    public static AlertState Parse(string text) => text switch
    {
        "firing" => AlertState.Firing,
        "acknowledged" => AlertState.Acknowledged,
        "resolved" => AlertState.Resolved,
        _ => throw new FormatException($"unknown alert state '{text}'"),
    };
}
