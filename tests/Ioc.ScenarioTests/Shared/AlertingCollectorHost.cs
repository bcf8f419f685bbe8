using System.Globalization;
using Ioc.Alerting.Engine;
using Ioc.Alerting.Hosting;
using Ioc.Alerting.Service;
using Ioc.Collector;
using Ioc.Collector.Diagnostics;
using Ioc.Storage;
using Ioc.IntegrationTests.Infrastructure;
using Ioc.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Ioc.ScenarioTests.Shared;

/// <summary>
/// The real collector (<c>AddCollector</c>) with the real alert engine (<c>AddAlerting</c>, shipped default rules) in a
/// generic host, on a temporary SQLite file, modelled on <see cref="CollectorHost"/>. Its <see cref="TimeProvider"/> is a
/// <see cref="FakeTimeProvider"/> shared by the collector and the engine, so a test moves the engine's clock in step
/// with the simulators' simulated time: for-durations, windows and no-data timeouts run at the documented lengths.
/// </summary>
public sealed class AlertingCollectorHost : IAsyncDisposable
{
    private readonly Dictionary<string, string?> _settings;
    private readonly string _folder;
    private IHost? _host;

    public AlertingCollectorHost(int brokerPort, FakeTimeProvider time, IDictionary<string, string?>? overrides = null)
    {
        Time = time;
        _folder = CreateFolder();
        _settings = new Dictionary<string, string?>
        {
            ["Ioc:Mqtt:Host"] = "127.0.0.1",
            ["Ioc:Mqtt:Port"] = brokerPort.ToString(CultureInfo.InvariantCulture),
            ["Ioc:Mqtt:ClientId"] = "collector-" + Path.GetFileName(_folder),
            ["Ioc:Storage:Sqlite:Path"] = Path.Combine(_folder, "ioc.db"),
            ["Ioc:Collector:SpoolPath"] = Path.Combine(_folder, "spool"),
            ["Ioc:Collector:BatchInterval"] = "00:00:00.050",
            ["Ioc:Alerting:Announcements:Enabled"] = "false",
            // The simulated fleet has no credentials in this test's registry (registry checks: DeviceAdmissionTests).
            ["Ioc:Devices:AutoRegister"] = "true",
            // The lock-step driver counts every message the collector decodes: the collector's own health reports
            // would be one more (they have their own tests).
            ["Ioc:Collector:Health:PublishInterval"] = "0",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public FakeTimeProvider Time { get; }

    /// <summary>
    /// The operational store on tmpfs when there is one: the engine commits on every simulated second's tick, and a
    /// simulated hour is thousands of ticks; what is measured here is behaviour, not the disk.
    /// </summary>
    private static string CreateFolder()
    {
        const string tmpfs = "/dev/shm";
        if (Directory.Exists(tmpfs))
        {
            var folder = Path.Combine(tmpfs, "ioc-scenario-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(folder);
            return folder;
        }

        return Directory.CreateTempSubdirectory("ioc-scenario-").FullName;
    }

    public IServiceProvider Services => _host?.Services ?? throw new InvalidOperationException("host not started");

    public CollectorSnapshot Snapshot => Services.GetRequiredService<CollectorStatus>().Snapshot();

    public CollectorMetrics Metrics => Services.GetRequiredService<CollectorMetrics>();

    public AlertEngine Engine => Services.GetRequiredService<AlertEngine>();

    public IAlertService Alerts => Services.GetRequiredService<IAlertService>();

    public IDeadLetterStore DeadLetters => Services.GetRequiredService<IDeadLetterStore>();

    public async Task StartAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(_settings);
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<TimeProvider>(Time);
        builder.AddIocServiceDefaults();
        // Alerting first: hosted services stop in reverse order, so the engine outlives the collector's drain.
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

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
