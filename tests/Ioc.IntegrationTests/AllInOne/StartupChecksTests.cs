using System.Net;
using System.Net.Sockets;
using Ioc.AllInOne;
using Ioc.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Ioc.IntegrationTests.AllInOne;

/// <summary>A busy port is one line naming the key that moves it (the all-in-one then exits 2 before starting anything).</summary>
public sealed class StartupChecksTests
{
    [Fact]
    public void FindPortConflicts_WebPortTaken_NamesUrls()
    {
        using var taken = Hold(out var port);
        var problems = StartupChecks.FindPortConflicts(Configuration(new() { ["Urls"] = $"http://127.0.0.1:{port}", ["Ioc:Broker:Port"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture) }));

        var problem = Assert.Single(problems);
        Assert.Contains($"web port {port}", problem, StringComparison.Ordinal);
        Assert.Contains("--urls", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void FindPortConflicts_BrokerPortTaken_NamesIocBrokerPort()
    {
        using var taken = Hold(out var port);
        var problems = StartupChecks.FindPortConflicts(Configuration(new() { ["Urls"] = $"http://127.0.0.1:{FreePort.Next()}", ["Ioc:Broker:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) }));

        var problem = Assert.Single(problems);
        Assert.Contains($"MQTT port {port}", problem, StringComparison.Ordinal);
        Assert.Contains("--Ioc:Broker:Port=", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void FindPortConflicts_FreePorts_FindsNothing()
    {
        var problems = StartupChecks.FindPortConflicts(Configuration(new() { ["Urls"] = $"http://127.0.0.1:{FreePort.Next()}", ["Ioc:Broker:Port"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture) }));

        Assert.Empty(problems);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    private static Held Hold(out int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        port = ((IPEndPoint)listener.LocalEndpoint).Port;
        return new Held(listener);
    }

    private sealed class Held(TcpListener listener) : IDisposable
    {
        public void Dispose() => listener.Stop();
    }
}
