using System.Net;
using System.Net.Sockets;

namespace Ioc.IntegrationTests.Infrastructure;

/// <summary>
/// The one free-port helper of the test projects: this file is compiled into the other test projects too
/// (<c>&lt;Compile Include="..\Ioc.IntegrationTests\Infrastructure\FreePort.cs" Link="Shared\FreePort.cs" /&gt;</c>),
/// which do not reference this project and its servers.
/// </summary>
public static class FreePort
{
    /// <summary>A TCP port on 127.0.0.1 that nothing listens on right now.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A UDP port on 127.0.0.1 that nothing is bound to right now.</summary>
    public static int NextUdp()
    {
        using var socket = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.Client.LocalEndPoint!).Port;
    }
}
