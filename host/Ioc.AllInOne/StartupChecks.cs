using System.Net;
using System.Net.Sockets;
using Ioc.AllInOne.Broker;

namespace Ioc.AllInOne;

/// <summary>
/// What a person can act on before anything starts: a web or broker port that another program holds is named in one
/// line with the key that moves it, instead of a host start failure with stack traces.
/// </summary>
public static class StartupChecks
{
    /// <summary>One line per problem; empty when the ports are free.</summary>
    public static IReadOnlyList<string> FindPortConflicts(IConfiguration configuration)
    {
        var problems = new List<string>();
        var urls = configuration["urls"] ?? configuration["Urls"] ?? "http://localhost:5000";
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
                && !IsFree(uri.Host, uri.Port))
            {
                problems.Add($"Ioc: the web port {uri.Port} ({url}) is used by another program. Stop it, or choose another address with --urls http://127.0.0.1:PORT (configuration key Urls).");
            }
        }

        var broker = configuration.GetSection(EmbeddedBrokerOptions.SectionName).Get<EmbeddedBrokerOptions>() ?? new EmbeddedBrokerOptions();
        if (broker.Enabled && !IsFree(broker.BindAddress, broker.Port))
        {
            problems.Add($"Ioc: the MQTT port {broker.Port} on {broker.BindAddress} is used by another program (a local Mosquitto?). Stop it, or choose another port with --Ioc:Broker:Port=PORT.");
        }

        return problems;
    }

    /// <summary>True when a listener could bind there now (the host binds it a moment later; a race is still reported by the host).</summary>
    public static bool IsFree(string host, int port)
    {
        var addresses = host is "localhost" ? [IPAddress.Loopback] : IPAddress.TryParse(host, out var ip) ? [ip] : Array.Empty<IPAddress>();
        foreach (var address in addresses)
        {
            try
            {
                using var listener = new TcpListener(address, port);
                listener.Start();
                listener.Stop();
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
            {
                return false;
            }
        }

        return true;
    }
}
