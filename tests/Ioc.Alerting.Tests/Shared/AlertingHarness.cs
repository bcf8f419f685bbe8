using Ioc.Alerting.Announce;
using Ioc.Alerting.Engine;
using Ioc.Alerting.Hosting;
using Ioc.Contract.Alerts;
using Ioc.Alerting.Notifications;
using Ioc.Alerting.Rules;
using Ioc.Alerting.Service;
using Ioc.Storage.Operational;
using Ioc.Contract;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Ioc.Alerting.Tests.Shared;

/// <summary>
/// The real alerting stack from <see cref="AlertingServiceCollectionExtensions.AddAlerting"/> on a temporary SQLite file,
/// with a fake clock. Drives the engine directly (no background loop) so every step is deterministic.
/// </summary>
public sealed class AlertingHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    private readonly string _directory;
    private readonly string _rulesJson;
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _configure;
    private ServiceProvider _provider;
    private readonly List<AlertChange> _changes = [];
    private IDisposable _subscription;

    private AlertingHarness(string directory, string rulesJson, Dictionary<string, string?> settings, FakeTimeProvider time, Action<IServiceCollection>? configure)
    {
        _directory = directory;
        _rulesJson = rulesJson;
        _settings = settings;
        _configure = configure;
        Time = time;
        (_provider, _subscription) = Build();
    }

    public FakeTimeProvider Time { get; }

    public AlertEngine Engine => _provider.GetRequiredService<AlertEngine>();

    public IAlertService Service => _provider.GetRequiredService<IAlertService>();

    public IAlertStore Store => _provider.GetRequiredService<IAlertStore>();

    /// <summary>The SQLite file under the operational store, for tests that break it on purpose.</summary>
    public Ioc.Storage.Sqlite.SqliteDatabase Database => new(new Ioc.Storage.SqliteOptions { Path = Path.Combine(_directory, "ioc.db") });

    public INotificationStore Outbox => _provider.GetRequiredService<INotificationStore>();

    public NotificationDispatcher Dispatcher => _provider.GetRequiredService<NotificationDispatcher>();

    public AlertFeed Feed => _provider.GetRequiredService<AlertFeed>();

    public AlertingOptions Options => _provider.GetRequiredService<AlertingOptions>();

    public IServiceProvider Services => _provider;

    public IReadOnlyList<AlertChange> Changes
    {
        get
        {
            lock (_changes)
            {
                return _changes.ToList();
            }
        }
    }

    public DateTimeOffset Now => Time.GetUtcNow();

    /// <param name="configure">Runs after <c>AddAlerting</c> (on every start): a test can wrap a real service, such as the store.</param>
    public static async Task<AlertingHarness> CreateAsync(string rulesJson, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "ioc-alerting-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var harness = new AlertingHarness(directory, rulesJson, settings ?? [], new FakeTimeProvider(Start), configure);
        await harness.Engine.InitializeAsync(CancellationToken.None);
        return harness;
    }

    /// <summary>Wraps rule objects into a rules file.</summary>
    public static string Rules(params string[] rules) => $$"""{"version": 1, "districts": ["thanh-ha", "tu-ky"], "sites": {"dc-tinh": "tp-hai-duong"}, "rules": [{{string.Join(",", rules)}}]}""";

    public Task SendAsync(Ioc.Contract.Model.DecodedMessage message) => Engine.ProcessAsync(message, CancellationToken.None);

    public Task TelemetryAsync(DeviceAddress device, string metricsJson) => SendAsync(TestMessages.Telemetry(device, metricsJson, Now));

    public async Task TickAsync()
    {
        await Engine.TickAsync(CancellationToken.None);
        await Engine.FlushAsync();
    }

    /// <summary>Moves the clock forward in steps, ticking after each.</summary>
    public async Task AdvanceAsync(TimeSpan total, TimeSpan? step = null)
    {
        var stride = step ?? TimeSpan.FromSeconds(1);
        for (var elapsed = TimeSpan.Zero; elapsed < total; elapsed += stride)
        {
            Time.Advance(elapsed + stride > total ? total - elapsed : stride);
            await TickAsync();
        }
    }

    public Task<IReadOnlyList<Alert>> OpenAsync(string? ruleId = null) =>
        Service.ListOpenAsync(new AlertFilter { RuleId = ruleId }, CancellationToken.None);

    public Task<IReadOnlyList<Alert>> AllAsync(string? ruleId = null) =>
        Service.ListAsync(new AlertFilter { RuleId = ruleId }, CancellationToken.None);

    /// <summary>Simulates a process restart: a new container (engine, caches, evaluators) on the same database file.</summary>
    public async Task RestartAsync()
    {
        await Engine.FlushAsync();
        _subscription.Dispose();
        await _provider.DisposeAsync();
        (_provider, _subscription) = Build();
        await Engine.InitializeAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        _subscription.Dispose();
        await _provider.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by the OS is left for the temp cleaner.
        }
    }

    private (ServiceProvider, IDisposable) Build()
    {
        var settings = new Dictionary<string, string?>(_settings)
        {
            ["Ioc:Storage:Sqlite:Path"] = Path.Combine(_directory, "ioc.db"),
            ["Ioc:Alerting:RulesPath"] = Path.Combine(_directory, "rules.json"),
        };
        settings.TryAdd("Ioc:Alerting:Notifications:GroupWait", "00:00:10");
        File.WriteAllText(Path.Combine(_directory, "rules.json"), _rulesJson);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Time);
        services.AddAlerting(configuration);
        _configure?.Invoke(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var subscription = provider.GetRequiredService<AlertFeed>().Subscribe(change =>
        {
            lock (_changes)
            {
                _changes.Add(change);
            }
        });
        return (provider, subscription);
    }
}
