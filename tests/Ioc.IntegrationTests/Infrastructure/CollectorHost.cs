using Ioc.Collector;
using Ioc.Collector.Diagnostics;
using Ioc.Storage;
using Ioc.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ioc.IntegrationTests.Infrastructure;

/// <summary>The real collector (AddCollector) in a generic host, configured by key/value pairs; its state folder survives restarts.</summary>
public sealed class CollectorHost : IAsyncDisposable
{
    private readonly Dictionary<string, string?> _settings;
    private IHost? _host;

    public CollectorHost(int brokerPort, string folder, IDictionary<string, string?>? overrides = null)
    {
        Folder = folder;
        _settings = new Dictionary<string, string?>
        {
            ["Ioc:Mqtt:Host"] = "127.0.0.1",
            ["Ioc:Mqtt:Port"] = brokerPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Ioc:Mqtt:ClientId"] = "collector-" + Path.GetFileName(folder),
            ["Ioc:Storage:Sqlite:Path"] = Path.Combine(folder, "ioc.db"),
            ["Ioc:Collector:SpoolPath"] = Path.Combine(folder, "spool"),
            ["Ioc:Collector:BatchInterval"] = "00:00:00.100",
            ["Ioc:Collector:ReplayRetryDelay"] = "00:00:00.200",
            // Tests publish for devices they never registered; the registry check has its own (DeviceAdmissionTests).
            ["Ioc:Devices:AutoRegister"] = "true",
            // The collector's own health reports are messages too; tests that count messages and points exactly would
            // count them. Tests of those reports turn them on.
            ["Ioc:Collector:Health:PublishInterval"] = "0",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public string Folder { get; }

    /// <summary>How long StartAsync waits for every connection; tests of refused connections shorten it.</summary>
    public int ConnectTimeoutSeconds { get; set; } = 15;

    public IServiceProvider Services => _host?.Services ?? throw new InvalidOperationException("collector not started");

    public bool IsBuilt => _host is not null;

    public CollectorSnapshot Snapshot => Services.GetRequiredService<CollectorStatus>().Snapshot();

    public ITelemetryStore Store => Services.GetRequiredService<ITelemetryStore>();

    public IDeadLetterStore DeadLetters => Services.GetRequiredService<IDeadLetterStore>();

    public static CollectorHost ForInflux(int brokerPort, InfluxDbServer influx, string database, IDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Ioc:Storage:Provider"] = "InfluxDB",
            ["Ioc:Storage:InfluxDB:Url"] = influx.Url,
            ["Ioc:Storage:InfluxDB:Database"] = database,
            ["Ioc:Storage:InfluxDB:Timeout"] = "00:00:02",
            ["Ioc:Storage:InfluxDB:MaxAttempts"] = "2",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return new CollectorHost(brokerPort, Directory.CreateTempSubdirectory("ioc-collector-").FullName, settings);
    }

    public static CollectorHost ForSqlite(int brokerPort, IDictionary<string, string?>? overrides = null) =>
        new(brokerPort, Directory.CreateTempSubdirectory("ioc-collector-").FullName, overrides);

    public async Task StartAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(_settings);
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        builder.AddIocServiceDefaults();
        builder.AddCollector();
        var host = builder.Build();
        _host = host;
        await host.StartAsync();
        await Wait.UntilAsync(() => Snapshot.MqttConnected == Snapshot.MqttConnections, TimeSpan.FromSeconds(ConnectTimeoutSeconds), "collector connected to the broker");
    }

    public async Task StopAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
            _host = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        MosquittoBroker.TryDelete(Folder);
    }
}
