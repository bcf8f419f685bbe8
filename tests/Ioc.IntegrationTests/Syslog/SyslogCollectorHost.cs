using System.Globalization;
using Ioc.Alerting.Hosting;
using Ioc.Alerting.Service;
using Ioc.Collector;
using Ioc.Collector.Diagnostics;
using Ioc.Collector.Syslog;
using Ioc.Contract.Alerts;
using Ioc.IntegrationTests.Infrastructure;
using Ioc.ServiceDefaults;
using Ioc.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ioc.IntegrationTests.Syslog;

/// <summary>
/// The collector service as <c>collector/Ioc.Collector.Host</c> composes it (alert engine with the shipped rules, then
/// the collector with its syslog receiver) on a real Mosquitto and a real InfluxDB 1.6.7, listening for syslog on free
/// loopback ports.
/// </summary>
public sealed class SyslogCollectorHost : IAsyncDisposable
{
    private readonly Dictionary<string, string?> _settings;
    private IHost? _host;

    public SyslogCollectorHost(int brokerPort, InfluxDbServer influx, string database, IDictionary<string, string?> overrides)
    {
        Folder = Directory.CreateTempSubdirectory("ioc-syslog-").FullName;
        Database = database;
        UdpPort = FreePort.NextUdp();
        TcpPort = FreePort.Next();
        _settings = new Dictionary<string, string?>
        {
            ["Ioc:Mqtt:Host"] = "127.0.0.1",
            ["Ioc:Mqtt:Port"] = brokerPort.ToString(CultureInfo.InvariantCulture),
            ["Ioc:Mqtt:ClientId"] = "collector-" + Path.GetFileName(Folder),
            ["Ioc:Storage:Provider"] = "InfluxDB",
            ["Ioc:Storage:InfluxDB:Url"] = influx.Url,
            ["Ioc:Storage:InfluxDB:Database"] = database,
            ["Ioc:Storage:Sqlite:Path"] = Path.Combine(Folder, "ioc.db"),
            ["Ioc:Collector:SpoolPath"] = Path.Combine(Folder, "spool"),
            ["Ioc:Collector:BatchInterval"] = "00:00:00.100",
            ["Ioc:Alerting:Announcements:Enabled"] = "false",
            ["Ioc:Devices:AutoRegister"] = "true",
            ["Ioc:Collector:Health:PublishInterval"] = "0",
            ["Ioc:Syslog:Udp"] = $"127.0.0.1:{UdpPort}",
            ["Ioc:Syslog:Tcp"] = $"127.0.0.1:{TcpPort}",
        };
        foreach (var (key, value) in overrides)
        {
            _settings[key] = value;
        }
    }

    public string Folder { get; }

    public string Database { get; }

    public int UdpPort { get; }

    public int TcpPort { get; }

    public IServiceProvider Services => _host?.Services ?? throw new InvalidOperationException("not started");

    public CollectorSnapshot Snapshot => Services.GetRequiredService<CollectorStatus>().Snapshot();

    public SyslogSnapshot Syslog => Snapshot.Syslog!;

    public IDeadLetterStore DeadLetters => Services.GetRequiredService<IDeadLetterStore>();

    public async Task<IReadOnlyList<Alert>> OpenAlertsAsync() => await Services.GetRequiredService<IAlertQueries>().ListOpenAsync(null, CancellationToken.None);

    public async Task StartAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(_settings);
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        builder.AddIocServiceDefaults();
        builder.Services.AddAlerting(builder.Configuration);
        builder.AddCollector();
        _host = builder.Build();
        await _host.StartAsync();
        await Wait.UntilAsync(() => Snapshot.MqttConnected == Snapshot.MqttConnections, TimeSpan.FromSeconds(15), "collector connected to the broker");
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
            _host = null;
        }

        MosquittoBroker.TryDelete(Folder);
    }
}
