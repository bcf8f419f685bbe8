using System.Globalization;
using Ioc.Collector.Syslog;
using Ioc.Simulators.Fleet;
using Ioc.Simulators.Hosting;
using Ioc.Simulators.Syslog;

namespace Ioc.AllInOne;

/// <summary>
/// The demo's firewalls speak syslog, as real ones do: the collector's syslog receiver listens on a loopback TCP port
/// (<c>Ioc:Syslog:Tcp</c>, default <c>127.0.0.1:0</c>, the port the system gives, printed in the banner; set it to
/// a fixed port to send your own), each simulated firewall sends its events as FortiGate syslog from its own loopback
/// address, and <c>Ioc:Syslog:Senders</c> maps those addresses to the firewalls. <c>--Ioc:Syslog:Tcp=</c> (empty)
/// turns it off: the firewalls' events then go over MQTT like everything else.
/// </summary>
internal static class SimulatedSyslogWiring
{
    public const string DefaultTcp = "127.0.0.1:0";

    public static void Add(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (!configuration.GetValue(SimulatorOptions.SectionName + ":Enabled", true))
        {
            return;
        }

        var values = new Dictionary<string, string?>();
        if (configuration[SyslogOptions.SectionName + ":Tcp"] is null)
        {
            values[SyslogOptions.SectionName + ":Tcp"] = DefaultTcp;
        }

        var tcp = configuration[SyslogOptions.SectionName + ":Tcp"] ?? DefaultTcp;
        var externalTarget = !string.IsNullOrWhiteSpace(configuration[SimulatedSyslogOptions.SectionName + ":Target"]);
        if (!string.IsNullOrWhiteSpace(tcp) && !externalTarget)
        {
            var syslog = configuration.GetSection(SimulatedSyslogOptions.SectionName).Get<SimulatedSyslogOptions>() ?? new SimulatedSyslogOptions();
            var fleet = FleetFile.LoadOrDefault(configuration[SimulatorOptions.SectionName + ":FleetFile"], configuration.GetValue(SimulatorOptions.SectionName + ":Seed", 42));
            foreach (var (address, device) in SimulatedSyslogAddresses.SenderMap(fleet, syslog.DeviceTypes))
            {
                values.TryAdd($"{SyslogOptions.SendersSection}:{address}", device);
            }

            // Before AddSimulators, whose TryAdd then keeps this one: the simulators send to the listener in this process.
            builder.Services.AddSingleton<ISimulatedSyslogTargetSource, InProcessSyslogTarget>();
        }

        // Values given on the command line or in appsettings win over these defaults.
        var given = new Dictionary<string, string?>();
        foreach (var key in values.Keys)
        {
            if (configuration[key] is { } value)
            {
                given[key] = value;
            }
        }

        builder.Configuration.AddInMemoryCollection(values);
        builder.Configuration.AddInMemoryCollection(given);
    }

    /// <summary>The collector's TCP syslog listener in this process, once it is bound.</summary>
    private sealed class InProcessSyslogTarget(SyslogListenerService listener) : ISimulatedSyslogTargetSource
    {
        public SimulatedSyslogTarget? Target
        {
            get
            {
                if (listener.TcpEndpoint is not { } endpoint)
                {
                    return null;
                }

                var address = endpoint.Address.Equals(System.Net.IPAddress.Any) ? System.Net.IPAddress.Loopback : endpoint.Address;
                return new SimulatedSyslogTarget("tcp", new System.Net.IPEndPoint(address, endpoint.Port));
            }
        }
    }

    public static string Describe(SyslogListenerService listener, SyslogSenders senders) =>
        listener.TcpEndpoint is { } tcp
            ? string.Create(CultureInfo.InvariantCulture, $"tcp://{tcp} ({senders.Count} sender(s) mapped; simulated firewalls send FortiGate syslog)")
            : "off";
}
