using System.Net;

namespace Ioc.AllInOne.Broker;

/// <summary>Section <c>Ioc:Broker</c>: the embedded MQTT broker of the all-in-one host.</summary>
public sealed class EmbeddedBrokerOptions
{
    public const string SectionName = "Ioc:Broker";

    public bool Enabled { get; set; } = true;

    /// <summary>Loopback by default: devices on other machines need a real broker (see docker-compose.yml).</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 1883;

    /// <summary>Messages kept per client session while it is away (the collector's persistent session).</summary>
    public int MaxPendingMessagesPerClient { get; set; } = 1_000_000;

    public IEnumerable<string> Validate()
    {
        if (!IPAddress.TryParse(BindAddress, out _))
        {
            yield return $"{SectionName}:BindAddress must be an IP address (was '{BindAddress}').";
        }

        if (Port is < 1 or > 65535)
        {
            yield return $"{SectionName}:Port must be 1–65535 (was {Port}).";
        }

        if (MaxPendingMessagesPerClient < 1000)
        {
            yield return $"{SectionName}:MaxPendingMessagesPerClient must be at least 1000.";
        }
    }
}
