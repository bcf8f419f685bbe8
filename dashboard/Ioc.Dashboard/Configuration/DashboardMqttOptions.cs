namespace Ioc.Dashboard.Configuration;

/// <summary>Section <c>Ioc:Mqtt</c> as the dashboard reads it: where the broker is, to follow devices live.</summary>
public sealed class DashboardMqttOptions
{
    public const string SectionName = "Ioc:Mqtt";

    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 1883;

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Delay before reconnecting after the broker went away.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(2);

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Host))
        {
            yield return $"{SectionName}:Host must name the MQTT broker (e.g. 127.0.0.1).";
        }

        if (Port is < 1 or > 65535)
        {
            yield return $"{SectionName}:Port must be between 1 and 65535 (was {Port}).";
        }

        if (ReconnectDelay < TimeSpan.FromMilliseconds(100))
        {
            yield return $"{SectionName}:ReconnectDelay must be at least 00:00:00.1.";
        }
    }
}
