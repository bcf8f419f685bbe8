namespace Ioc.Contract.Alerts;

/// <summary>The lowercase words for <see cref="HealthState"/> used in announcements, the store and the reporting views.</summary>
public static class HealthStates
{
    public static string Name(HealthState state) => state switch
    {
        HealthState.Online => "online",
        HealthState.Offline => "offline",
        _ => "silent",
    };

    public static HealthState Parse(string text) => text switch
    {
        "online" => HealthState.Online,
        "offline" => HealthState.Offline,
        _ => HealthState.Silent,
    };
}
