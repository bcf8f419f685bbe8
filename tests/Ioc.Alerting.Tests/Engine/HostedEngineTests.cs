using System.Text.Json;
using Ioc.Alerting.Announce;
using Ioc.Alerting.Engine;
using Ioc.Alerting.Hosting;
using Ioc.Contract.Alerts;
using Ioc.Alerting.Rules;
using Ioc.Alerting.Service;
using Ioc.Alerting.Tests.Shared;
using Ioc.Contract;
using Ioc.Contract.Model;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Ioc.Alerting.Tests.Engine;

/// <summary>The engine as the collector hosts it: AddAlerting, the ITelemetryObserver hook, the background loop, MQTT announcements.</summary>
public sealed class HostedEngineTests : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ioc-alerting-tests", Guid.NewGuid().ToString("N"));

    public async ValueTask DisposeAsync()
    {
        await Task.Yield();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // left for the temp cleaner
        }
    }

    [Fact]
    public async Task Observe_ViolatingMessage_AlertIsStoredAndAnnouncedOnMqttWithDeviceHealth()
    {
        await using var broker = await TestBroker.StartAsync();
        await broker.SubscribeAsync("ioc/v1/_system/#");
        using var host = BuildHost(new()
        {
            ["Ioc:Alerting:Announcements:Enabled"] = "true",
            ["Ioc:Mqtt:Port"] = broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Ioc:Alerting:TickInterval"] = "00:00:00.100",
        });
        await host.StartAsync();
        var observer = Assert.Single(host.Services.GetServices<ITelemetryObserver>());
        var now = DateTimeOffset.UtcNow;

        observer.Observe(TestMessages.Status(TestDevices.DcUps, online: true, now));
        observer.Observe(TestMessages.Telemetry(TestDevices.DcUps, """{"on_battery": true, "battery_pct": 88}""", now));

        var announced = await broker.WaitForAsync(m => m.Topic == SystemTopics.AlertEvents, TimeSpan.FromSeconds(10));
        using var json = JsonDocument.Parse(announced.Payload);
        Assert.Equal("fired", json.RootElement.GetProperty("change").GetString());
        var alert = json.RootElement.GetProperty("alert");
        Assert.Equal("ups-on-battery", alert.GetProperty("ruleId").GetString());
        Assert.Equal("major", alert.GetProperty("severity").GetString());
        Assert.Equal("firing", alert.GetProperty("state").GetString());
        var id = alert.GetProperty("id").GetInt64();
        var open = await broker.WaitForAsync(m => m.Topic == SystemTopics.OpenAlert(id), TimeSpan.FromSeconds(5));
        Assert.Contains("\"ruleId\":\"ups-on-battery\"", open.Payload);
        var health = await broker.WaitForAsync(m => m.Topic == "ioc/v1/_system/health/dc-tinh/ups/DC-UPS-01", TimeSpan.FromSeconds(5));
        Assert.Contains("\"state\":\"online\"", health.Payload);
        Assert.Contains("\"district\":\"tinh\"", health.Payload);

        // The dashboard's acknowledgement comes back on the same topics; the resolution clears the retained snapshot.
        var service = host.Services.GetRequiredService<IAlertService>();
        await service.AcknowledgeAsync(id, "lan.nguyen", null, CancellationToken.None);
        await broker.WaitForAsync(m => m.Topic == SystemTopics.AlertEvents && m.Payload.Contains("\"change\":\"acknowledged\"", StringComparison.Ordinal), TimeSpan.FromSeconds(5));
        observer.Observe(TestMessages.Telemetry(TestDevices.DcUps, """{"on_battery": false, "battery_pct": 80}""", DateTimeOffset.UtcNow));
        await broker.WaitForAsync(m => m.Topic == SystemTopics.OpenAlert(id) && m.Payload.Length == 0, TimeSpan.FromSeconds(5));
        Assert.Equal(AlertState.Resolved, (await service.GetAsync(id, CancellationToken.None))!.Alert.State);

        await host.StopAsync();
    }

    [Fact]
    public async Task Start_OpenAlertsFromBeforeTheRestart_AreRepublishedAsRetainedSnapshots()
    {
        long id;
        using (var first = BuildHost([]))
        {
            await first.StartAsync();
            var observer = first.Services.GetRequiredService<ITelemetryObserver>();
            var feed = first.Services.GetRequiredService<AlertFeed>();
            var fired = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            using var subscription = feed.Subscribe(c => fired.TrySetResult(c.Alert.Id));
            observer.Observe(TestMessages.Telemetry(TestDevices.DcUps, """{"on_battery": true}""", DateTimeOffset.UtcNow));
            id = await fired.Task.WaitAsync(TimeSpan.FromSeconds(10));
            await first.StopAsync();
        }

        // A fresh broker holds no retained messages: the restarted host rebuilds them from the store.
        await using var broker = await TestBroker.StartAsync();
        await broker.SubscribeAsync("ioc/v1/_system/alerts/open/+");
        using var second = BuildHost(new()
        {
            ["Ioc:Alerting:Announcements:Enabled"] = "true",
            ["Ioc:Mqtt:Port"] = broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await second.StartAsync();

        var snapshot = await broker.WaitForAsync(m => m.Topic == SystemTopics.OpenAlert(id) && m.Payload.Length > 0, TimeSpan.FromSeconds(10));
        Assert.Contains("\"ruleId\":\"ups-on-battery\"", snapshot.Payload);
        await second.StopAsync();
    }

    [Fact]
    public async Task Stop_RightAfterRunsWereObserved_EveryMessageTakenIsEvaluated()
    {
        // A rule that fires on each message (one device each): alerts counted = messages sent.
        var rules = await UpsOnBatteryRulesAsync();
        // 2048 SQLite writes on a shared 2-core machine: a stop timeout they fit in (the drain stops at it, by design).
        using var host = BuildHost(new() { ["Ioc:Alerting:RulesPath"] = rules }, services => services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMinutes(3)));
        await host.StartAsync();
        var observer = Assert.Single(host.Services.GetServices<ITelemetryObserver>());
        var engine = host.Services.GetRequiredService<AlertEngine>();
        const int Runs = 8, RunLength = 256;
        var now = DateTimeOffset.UtcNow;

        for (var r = 0; r < Runs; r++)
        {
            observer.Observe(OnBattery(r * RunLength, RunLength, now));
        }

        // Stop once the loop is inside the first run (each message writes an alert, so the runs take a while).
        await FirstEvaluatedAsync(engine);

        Assert.InRange(engine.Processed, 1, Runs * RunLength - 1);
        await host.StopAsync();

        var alerts = await host.Services.GetRequiredService<Ioc.Storage.Operational.IAlertStore>().ListAsync(new AlertFilter { RuleId = "ups-on-battery", Limit = 10_000 }, openOnly: true, CancellationToken.None);
        Assert.Equal(Runs * RunLength, alerts.Count);
        Assert.Equal(Runs * RunLength, engine.Processed);
    }

    [Fact]
    public async Task Stop_StoreFailsDuringTheDrain_StopsAtTheFirstFailureAndLogsHowManyWereNotEvaluated()
    {
        var rules = await UpsOnBatteryRulesAsync();
        var logs = new CollectingLogs();
        FailingStore? failing = null;
        using var host = BuildHost(new() { ["Ioc:Alerting:RulesPath"] = rules }, services => services.Replace(ServiceDescriptor.Singleton<Ioc.Storage.Operational.IAlertStore>(sp =>
            FailingStore.Wrap(sp.GetRequiredService<Ioc.Storage.Operational.IOperationalStore>().Alerts, out failing))), logs);
        await host.StartAsync();
        var observer = Assert.Single(host.Services.GetServices<ITelemetryObserver>());
        var engine = host.Services.GetRequiredService<AlertEngine>();
        const int Runs = 8, RunLength = 256;
        var now = DateTimeOffset.UtcNow;
        for (var r = 0; r < Runs; r++)
        {
            observer.Observe(OnBattery(r * RunLength, RunLength, now));
        }

        await FirstEvaluatedAsync(engine);

        // The database goes away as the host stops: every store call fails from here on.
        failing!.Fail = true;
        await host.StopAsync();

        // One failed write, not one per message: the rest is counted as not evaluated.
        var stopped = Assert.Single(logs.Entries, e => e.EventId == 4046);
        Assert.Equal(LogLevel.Error, stopped.Level);
        Assert.Contains("the store failed", stopped.Message, StringComparison.Ordinal);
        Assert.Contains($"{Runs * RunLength - engine.Processed} taken message(s) were not evaluated", stopped.Message, StringComparison.Ordinal);
        Assert.InRange(engine.Processed, 1, Runs * RunLength - 1);
        // Before the stop began a failing message is logged and skipped (one store call each, as before); once stopping,
        // the first failure ends the drain: at most one more call, not one per message left.
        var beforeStop = logs.Entries.Count(e => e.EventId is 4002 or 4003);
        Assert.InRange(failing.Calls - beforeStop, 1, 2);
    }

    [Fact]
    public async Task Stop_StoreHangsDuringTheDrain_StopsBeforeTheShutdownTimeoutAndLogsWhatWasLeft()
    {
        var rules = await UpsOnBatteryRulesAsync();
        var logs = new CollectingLogs();
        FailingStore? store = null;
        using var host = BuildHost(new() { ["Ioc:Alerting:RulesPath"] = rules }, services =>
        {
            services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
            services.Replace(ServiceDescriptor.Singleton<Ioc.Storage.Operational.IAlertStore>(sp =>
                FailingStore.Wrap(sp.GetRequiredService<Ioc.Storage.Operational.IOperationalStore>().Alerts, out store)));
        }, logs);
        await host.StartAsync();
        var observer = Assert.Single(host.Services.GetServices<ITelemetryObserver>());
        var engine = host.Services.GetRequiredService<AlertEngine>();

        // The engine is running (it has evaluated one message) when the database stops answering (a write waits until
        // it is cancelled), just as the host stops with a backlog.
        var now = DateTimeOffset.UtcNow;
        observer.Observe(TestMessages.Telemetry(new DeviceAddress("dc-tinh", "ups", "UPS-FIRST"), """{"on_battery": true}""", now));
        await FirstEvaluatedAsync(engine);

        Assert.Equal(1, engine.Processed);
        store!.Hang = true;
        observer.Observe(OnBattery(0, 256, now));
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        await host.StopAsync();

        // The drain's token fires at 1.8 s (2 s less a tenth): the hung write is cancelled and what was left is logged.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!logs.Entries.Any(e => e.EventId == 4046) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var stopped = Assert.Single(logs.Entries, e => e.EventId == 4046);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(5));
        Assert.Contains("the shutdown time ran out", stopped.Message, StringComparison.Ordinal);
        Assert.Contains($"{257 - engine.Processed} taken message(s) were not evaluated", stopped.Message, StringComparison.Ordinal);
    }

    private async Task<string> UpsOnBatteryRulesAsync()
    {
        Directory.CreateDirectory(_directory);
        var rules = Path.Combine(_directory, "rules.json");
        await File.WriteAllTextAsync(rules, AlertingHarness.Rules("""{"id":"ups-on-battery","kind":"state","severity":"major","metric":"on_battery","equals":true}"""));
        return rules;
    }

    /// <summary>One run of UPS telemetry on battery, one device per message (UPS-first … UPS-first+count-1).</summary>
    private static DecodedMessage[] OnBattery(int first, int count, DateTimeOffset now) =>
        [.. Enumerable.Range(first, count).Select(i => TestMessages.Telemetry(new DeviceAddress("dc-tinh", "ups", $"UPS-{i:D4}"), """{"on_battery": true}""", now))];

    /// <summary>Spins until the engine has evaluated its first message (polling with delays could miss the moment the runs are still in hand).</summary>
    private static async Task FirstEvaluatedAsync(AlertEngine engine)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (engine.Processed == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Yield();
        }
    }

    [Theory]
    [InlineData(30, 27)]
    [InlineData(5, 4.5)]
    [InlineData(0, 0)]
    public void DrainBudget_ShutdownTimeout_LeavesAMarginForTheLastWrites(double timeoutSeconds, double budgetSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(budgetSeconds), AlertEngineService.DrainBudget(TimeSpan.FromSeconds(timeoutSeconds)));

    /// <summary>The real alert store until <see cref="Fail"/>: then every call throws a SQLite error (the database is gone).</summary>
    public class FailingStore : System.Reflection.DispatchProxy
    {
        private Ioc.Storage.Operational.IAlertStore _inner = null!;
        private int _calls;

        public volatile bool Fail;

        /// <summary>Every call waits until its cancellation token fires (a database that stopped answering).</summary>
        public volatile bool Hang;

        public int Calls => _calls;

        public static Ioc.Storage.Operational.IAlertStore Wrap(Ioc.Storage.Operational.IAlertStore inner, out FailingStore? failing)
        {
            var proxy = Create<Ioc.Storage.Operational.IAlertStore, FailingStore>();
            failing = (FailingStore)(object)proxy;
            failing._inner = inner;
            return proxy;
        }

        protected override object? Invoke(System.Reflection.MethodInfo? targetMethod, object?[]? args)
        {
            if (Hang && targetMethod!.ReturnType.IsGenericType && targetMethod.ReturnType.GetGenericTypeDefinition() == typeof(Task<>))
            {
                var token = args!.OfType<CancellationToken>().SingleOrDefault();
                return typeof(HostedEngineTests).GetMethod(nameof(HangAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                    .MakeGenericMethod(targetMethod.ReturnType.GetGenericArguments()[0]).Invoke(null, [token]);
            }

            if (Hang && targetMethod!.ReturnType == typeof(Task))
            {
                return Task.Delay(Timeout.Infinite, args!.OfType<CancellationToken>().SingleOrDefault());
            }

            if (Fail)
            {
                Interlocked.Increment(ref _calls);
                throw new Microsoft.Data.Sqlite.SqliteException("unable to open database file", 14);
            }

            try
            {
                return targetMethod!.Invoke(_inner, args);
            }
            catch (System.Reflection.TargetInvocationException ex) when (ex.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException);
                throw;
            }
        }
    }

    private static async Task<T> HangAsync<T>(CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        throw new InvalidOperationException("unreachable");
    }

    private sealed record LogEntry(int EventId, LogLevel Level, string Message);

    private sealed class CollectingLogs : ILoggerProvider, ILogger
    {
        private readonly List<LogEntry> _entries = [];

        public IReadOnlyList<LogEntry> Entries
        {
            get
            {
                lock (_entries)
                {
                    return [.. _entries];
                }
            }
        }

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_entries)
            {
                _entries.Add(new LogEntry(eventId.Id, logLevel, formatter(state, exception)));
            }
        }

        public void Dispose()
        {
        }
    }

    [Fact]
    public async Task Start_BadRule_RefusesToStartNamingTheRuleAndTheReason()
    {
        Directory.CreateDirectory(_directory);
        var rules = Path.Combine(_directory, "bad-rules.json");
        await File.WriteAllTextAsync(rules, """{"version":1,"rules":[{"id":"ups-low","kind":"threshold","severity":"critical","metric":"battery_pct","op":"<","value":30,"clear":20}]}""");
        using var host = BuildHost(new() { ["Ioc:Alerting:RulesPath"] = rules });

        var error = await Assert.ThrowsAsync<RuleValidationException>(() => host.StartAsync());

        Assert.Contains("rule 'ups-low': 'clear' (20) must be on the safe side of 'value' (30): at or above it", error.Message);
    }

    [Fact]
    public async Task Start_BadOptions_RefusesToStartNamingTheKey()
    {
        using var host = BuildHost(new()
        {
            ["Ioc:Alerting:QueueCapacity"] = "5",
            ["Ioc:Alerting:Notifications:Webhooks:0:Name"] = "soc",
            ["Ioc:Alerting:Notifications:Webhooks:0:Url"] = "ftp://example",
            ["Ioc:Alerting:Silences:MaxDuration"] = "00:00:00",
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Ioc:Alerting:Silences:MaxDuration must be between 01:00:00 and 366.00:00:00 (was 00:00:00).", error.Failures);

        Assert.Contains("Ioc:Alerting:QueueCapacity must be between 100 and 10000000 (was 5).", error.Failures);
        Assert.Contains("Ioc:Alerting:Notifications:Webhooks:0:Url must be an http(s) URL (was 'ftp://example').", error.Failures);
    }

    [Fact]
    public void Observe_QueueFull_ReturnsAtOnceAndCountsTheDrop()
    {
        var intake = new AlertIntake(new AlertingOptions { QueueCapacity = 100 }, NullLogger<AlertIntake>.Instance);
        var message = TestMessages.Telemetry(TestDevices.DcSensor, """{"temp_c": 20}""", DateTimeOffset.UtcNow);

        for (var i = 0; i < 150; i++)
        {
            intake.Observe(message);
        }

        Assert.Equal(100, intake.Accepted);
        Assert.Equal(50, intake.Dropped);
        Assert.Equal(100, intake.Backlog);
    }

    [Fact]
    public void ObserveRun_QueueFull_KeepsTheHeadInOneItemAndCountsTheTailAsDropped()
    {
        var intake = new AlertIntake(new AlertingOptions { QueueCapacity = 100 }, NullLogger<AlertIntake>.Instance);
        var now = DateTimeOffset.UtcNow;
        var run = Enumerable.Range(0, 150).Select(i => TestMessages.Telemetry(TestDevices.DcSensor, $$"""{"temp_c": {{i}}}""", now)).ToArray();

        intake.Observe(run.AsSpan(0, 60));
        intake.Observe(run.AsSpan(60));

        Assert.Equal(100, intake.Accepted);
        Assert.Equal(50, intake.Dropped);
        Assert.Equal(100, intake.Backlog);
        // One channel item per run, in order: the first 60, then the 40 that still fitted.
        Assert.True(intake.TryRead(out var first));
        Assert.Equal(60, first.Count);
        Assert.Equal(run[..60], first.Run![..60]);
        first.Release();
        Assert.True(intake.TryRead(out var second));
        Assert.Equal(40, second.Count);
        Assert.Equal(run[60..100], second.Run![..40]);
        second.Release();
        Assert.False(intake.TryRead(out _));
        Assert.Equal(0, intake.Backlog);
    }

    [Fact]
    public async Task ObserveRun_ViolationInsideARun_IsEvaluatedAndFires()
    {
        using var host = BuildHost(new() { ["Ioc:Alerting:TickInterval"] = "00:00:00.100" });
        await host.StartAsync();
        var observer = Assert.Single(host.Services.GetServices<ITelemetryObserver>());
        var fired = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = host.Services.GetRequiredService<AlertFeed>().Subscribe(change =>
        {
            if (change.Kind == AlertChangeKind.Fired)
            {
                fired.TrySetResult(change.Alert.RuleId);
            }
        });
        var now = DateTimeOffset.UtcNow;
        var run = new[]
        {
            TestMessages.Status(TestDevices.DcUps, online: true, now),
            TestMessages.Telemetry(TestDevices.DcSensor, """{"temp_c": 22}""", now),
            TestMessages.Telemetry(TestDevices.DcUps, """{"on_battery": true, "battery_pct": 88}""", now),
        };

        observer.Observe(run);

        Assert.Equal("ups-on-battery", await fired.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(3, host.Services.GetRequiredService<AlertIntake>().Accepted);
        await host.StopAsync();
    }

    private IHost BuildHost(Dictionary<string, string?> settings, Action<IServiceCollection>? configure = null, ILoggerProvider? logs = null)
    {
        Directory.CreateDirectory(_directory);
        settings.TryAdd("Ioc:Storage:Sqlite:Path", Path.Combine(_directory, "ioc.db"));
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddAlerting(builder.Configuration);
        configure?.Invoke(builder.Services);
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        return builder.Build();
    }
}
