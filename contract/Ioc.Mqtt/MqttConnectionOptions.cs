namespace Ioc.Mqtt;

/// <summary>
/// Section <c>Ioc:Mqtt</c>: the broker and how to hold a connection to it. Every component reads this one shape; a
/// component may override any key in its own subsection (<c>Ioc:Mqtt:Collector:Username</c>, see
/// <see cref="Hosting.MqttConnectionRegistration"/>). What differs by role (client id, subscriptions, persistent
/// session, acknowledgement, will) is a <see cref="BrokerClientSettings"/> given in code.
/// </summary>
public sealed class MqttConnectionOptions
{
    public const string SectionName = "Ioc:Mqtt";

    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 1883;

    public string? Username { get; set; }

    public string? Password { get; set; }

    public bool UseTls { get; set; }

    /// <summary>Accept a broker certificate that does not chain to a trusted root (test brokers only).</summary>
    public bool AllowUntrustedCertificates { get; set; }

    /// <summary>
    /// The client id (or, for components with several connections, its prefix: the collector's connection i is
    /// <c>{ClientId}-{i}</c>). Empty: the component's own default (<c>ioc-collector</c>, <c>ioc-alerting</c>,
    /// <c>ioc-dashboard</c>, <c>ioc-sim</c>). Set it per component when several share a process.
    /// </summary>
    public string? ClientId { get; set; }

    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the broker keeps a persistent session (and its queued QoS 1 messages) while the client is away.</summary>
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How many unacknowledged QoS 1 messages the broker may have in flight to one connection.</summary>
    public int ReceiveMaximum { get; set; } = 10_000;

    /// <summary>Limit on one connection attempt (and on every request to the broker).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>First pause after a failed attempt; doubles (with ±20 % jitter) up to <see cref="ReconnectMaxDelay"/>.</summary>
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The client id to use: <see cref="ClientId"/> if set, else <paramref name="componentDefault"/>.</summary>
    public string ClientIdOr(string componentDefault) => string.IsNullOrWhiteSpace(ClientId) ? componentDefault : ClientId;

    /// <summary>A copy, so that a caller (the simulators' CLI) can change a key without touching the bound instance.</summary>
    public MqttConnectionOptions Clone() => (MqttConnectionOptions)MemberwiseClone();

    /// <summary>Every problem, each naming its key (<paramref name="keyOf"/> maps a property name to the configuration key).</summary>
    public IEnumerable<string> Validate(Func<string, string>? keyOf = null)
    {
        keyOf ??= static name => $"{SectionName}:{name}";
        if (string.IsNullOrWhiteSpace(Host))
        {
            yield return $"{keyOf(nameof(Host))} must name the broker (e.g. 127.0.0.1).";
        }

        if (Port is < 1 or > 65535)
        {
            yield return $"{keyOf(nameof(Port))} must be between 1 and 65535 (was {Port}).";
        }

        if (!string.IsNullOrEmpty(Username) && Password is null)
        {
            yield return $"{keyOf(nameof(Password))} must be set when {keyOf(nameof(Username))} is.";
        }

        if (string.IsNullOrEmpty(Username) && !string.IsNullOrEmpty(Password))
        {
            yield return $"{keyOf(nameof(Username))} must be set when {keyOf(nameof(Password))} is.";
        }

        if (AllowUntrustedCertificates && !UseTls)
        {
            yield return $"{keyOf(nameof(AllowUntrustedCertificates))} needs {keyOf(nameof(UseTls))}=true.";
        }

        if (!string.IsNullOrEmpty(ClientId) && (ClientId.Length > 60 || !ClientId.All(IsClientIdChar)))
        {
            yield return $"{keyOf(nameof(ClientId))} must be 1–60 characters of A-Z, a-z, 0-9, '-', '_' or '.' (was '{ClientId}').";
        }

        if (KeepAlive < TimeSpan.FromSeconds(1) || KeepAlive.TotalSeconds > ushort.MaxValue)
        {
            yield return $"{keyOf(nameof(KeepAlive))} must be between 00:00:01 and 18:12:15 (was {KeepAlive}).";
        }

        if (SessionExpiry < TimeSpan.FromMinutes(1) || SessionExpiry.TotalSeconds > uint.MaxValue)
        {
            yield return $"{keyOf(nameof(SessionExpiry))} must be at least 00:01:00: a short session loses queued messages across restarts (was {SessionExpiry}).";
        }

        if (ReceiveMaximum is < 1 or > 65535)
        {
            yield return $"{keyOf(nameof(ReceiveMaximum))} must be between 1 and 65535 (was {ReceiveMaximum}).";
        }

        if (ConnectTimeout < TimeSpan.FromMilliseconds(100) || ConnectTimeout > TimeSpan.FromMinutes(5))
        {
            yield return $"{keyOf(nameof(ConnectTimeout))} must be between 00:00:00.1 and 00:05:00 (was {ConnectTimeout}).";
        }

        if (ReconnectMinDelay <= TimeSpan.Zero || ReconnectMaxDelay < ReconnectMinDelay)
        {
            yield return $"{keyOf(nameof(ReconnectMinDelay))} must be positive and not above {keyOf(nameof(ReconnectMaxDelay))} (were {ReconnectMinDelay} and {ReconnectMaxDelay}).";
        }
    }

    private static bool IsClientIdChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.';
}
