using System.Net;

namespace Ioc.AllInOne.Broker;

/// <summary>Section <c>Ioc:Broker</c>: the embedded MQTT broker of the all-in-one host.</summary>
public sealed class EmbeddedBrokerOptions
{
    public const string SectionName = "Ioc:Broker";

    public bool Enabled { get; set; } = true;

    /// <summary>
    /// An IPv4 or IPv6 literal, or <c>localhost</c> (both loopbacks). Only this address listens: loopback by default,
    /// devices on other machines need a real broker (see docker-compose.yml).
    /// </summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 1883;

    /// <summary>Messages kept per client session while it is away (the collector's persistent session).</summary>
    public int MaxPendingMessagesPerClient { get; set; } = 1_000_000;

    /// <summary>Development switch: accept clients without credentials, with no topic rule. Never in production.</summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>
    /// Service accounts by username (<c>Ioc:Broker:Accounts:{name}:Password</c> and <c>:Role</c>: Collector, Engine,
    /// Dashboard or Simulators). The all-in-one generates one per in-process component at start when none is configured.
    /// </summary>
    public Dictionary<string, BrokerAccount> Accounts { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// When set, any username that is not a service account is accepted as a device id with this password (the
    /// all-in-one's simulated fleet; generated per start when the simulators run in-process). Devices still publish only
    /// their own topics. Empty: only devices with a credential in the registry connect.
    /// </summary>
    public string? DevicePassword { get; set; }

    /// <summary>The addresses to listen on: one literal, or both loopbacks for <c>localhost</c>.</summary>
    public (IPAddress V4, IPAddress V6) Endpoints()
    {
        if (string.Equals(BindAddress, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return (IPAddress.Loopback, IPAddress.IPv6Loopback);
        }

        var address = IPAddress.Parse(BindAddress);
        // IPAddress.None turns MQTTnet's listener for that family off (its default is "any").
        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? (IPAddress.None, address)
            : (address, IPAddress.None);
    }

    public IEnumerable<string> Validate()
    {
        if (!string.Equals(BindAddress, "localhost", StringComparison.OrdinalIgnoreCase) && !IPAddress.TryParse(BindAddress, out _))
        {
            yield return $"{SectionName}:BindAddress must be an IPv4 or IPv6 address or 'localhost' (was '{BindAddress}').";
        }

        if (Port is < 1 or > 65535)
        {
            yield return $"{SectionName}:Port must be 1–65535 (was {Port}).";
        }

        if (MaxPendingMessagesPerClient < 1000)
        {
            yield return $"{SectionName}:MaxPendingMessagesPerClient must be at least 1000.";
        }

        foreach (var (name, account) in Accounts)
        {
            if (string.IsNullOrEmpty(account.Password))
            {
                yield return $"{SectionName}:Accounts:{name}:Password must be set (or remove the account).";
            }

            if (account.Role is not (BrokerRole.Collector or BrokerRole.Engine or BrokerRole.Dashboard or BrokerRole.Simulators))
            {
                yield return $"{SectionName}:Accounts:{name}:Role must be Collector, Engine, Dashboard or Simulators (was {account.Role}).";
            }
        }

        if (DevicePassword is { Length: > 0 and < 16 })
        {
            yield return $"{SectionName}:DevicePassword must be at least 16 characters, or empty to accept registered devices only.";
        }
    }
}

/// <summary>One service account of the embedded broker.</summary>
public sealed class BrokerAccount
{
    public string Password { get; set; } = string.Empty;

    public BrokerRole Role { get; set; } = BrokerRole.Device;
}
