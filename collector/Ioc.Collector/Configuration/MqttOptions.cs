namespace Ioc.Collector.Configuration;

/// <summary>Section <c>Ioc:Mqtt</c>: the broker the collector subscribes to.</summary>
public sealed class MqttOptions
{
    public const string SectionName = "Ioc:Mqtt";

    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 1883;

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Stable client id prefix; connection i uses "{ClientId}-{i}" so its persistent session survives restarts.</summary>
    public string ClientId { get; set; } = "ioc-collector";

    /// <summary>Shared-subscription group (<c>$share/{group}/ioc/v1/#</c>). Defaults to "ioc-collector" when Connections &gt; 1.</summary>
    public string? SharedGroup { get; set; }

    /// <summary>Parallel subscriber connections; one MQTT client tops out near 10–13k msg/s.</summary>
    public int Connections { get; set; } = 1;

    public bool UseTls { get; set; }

    /// <summary>Accept a broker certificate that does not chain to a trusted root (test brokers only).</summary>
    public bool AllowUntrustedCertificates { get; set; }

    /// <summary>How long the broker keeps the session (and queued QoS 1 messages) while the collector is away.</summary>
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How many unacknowledged QoS 1 messages the broker may have in flight per connection.</summary>
    public int ReceiveMaximum { get; set; } = 10_000;

    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(15);

    public string TopicFilter { get; set; } = Ioc.Contract.Topics.AllDevices;

    public string EffectiveSharedGroup => !string.IsNullOrWhiteSpace(SharedGroup) ? SharedGroup : Connections > 1 ? "ioc-collector" : string.Empty;

    public string SubscriptionFilter => EffectiveSharedGroup.Length > 0 ? $"$share/{EffectiveSharedGroup}/{TopicFilter}" : TopicFilter;

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Host))
        {
            yield return $"{SectionName}:Host must name the broker (e.g. 127.0.0.1).";
        }

        if (Port is < 1 or > 65535)
        {
            yield return $"{SectionName}:Port must be 1–65535 (was {Port}).";
        }

        if (string.IsNullOrWhiteSpace(ClientId) || ClientId.Length > 60)
        {
            yield return $"{SectionName}:ClientId must be 1–60 characters.";
        }

        if (Connections is < 1 or > 32)
        {
            yield return $"{SectionName}:Connections must be 1–32 (was {Connections}).";
        }

        if (SharedGroup is { Length: > 0 } group && (group.Contains('/') || group.Contains('+') || group.Contains('#')))
        {
            yield return $"{SectionName}:SharedGroup may not contain '/', '+' or '#'.";
        }

        if (!string.IsNullOrEmpty(Username) && Password is null)
        {
            yield return $"{SectionName}:Password must be set when Username is.";
        }

        if (ReceiveMaximum is < 1 or > 65535)
        {
            yield return $"{SectionName}:ReceiveMaximum must be 1–65535 (was {ReceiveMaximum}).";
        }

        if (SessionExpiry < TimeSpan.FromMinutes(1) || SessionExpiry.TotalSeconds > uint.MaxValue)
        {
            yield return $"{SectionName}:SessionExpiry must be at least one minute: a short session loses queued messages across restarts.";
        }

        if (ReconnectMinDelay <= TimeSpan.Zero || ReconnectMaxDelay < ReconnectMinDelay)
        {
            yield return $"{SectionName}:ReconnectMinDelay must be positive and not above ReconnectMaxDelay.";
        }
    }
}
