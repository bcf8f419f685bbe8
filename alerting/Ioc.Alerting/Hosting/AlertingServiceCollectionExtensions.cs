using Ioc.Alerting.Announce;
using Ioc.Alerting.Devices;
using Ioc.Alerting.Election;
using Ioc.Alerting.Engine;
using Ioc.Alerting.Notifications;
using Ioc.Alerting.Remote;
using Ioc.Alerting.Rules;
using Ioc.Alerting.Rules.Catalogue;
using Ioc.Alerting.Service;
using Ioc.Alerting.Text;
using Ioc.Storage.Operational;
using Ioc.Contract;
using Ioc.Contract.Alerts;
using Ioc.Contract.Diagnostics;
using Ioc.Mqtt.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Ioc.Alerting.Hosting;

public static class AlertingServiceCollectionExtensions
{
    /// <summary>
    /// The whole alerting stack for the engine's host: the engine as an <see cref="ITelemetryObserver"/>, its evaluation
    /// loop, the notification dispatcher, the engine's commands (<see cref="IAlertCommands"/>, <see cref="IAlertService"/>),
    /// the in-process change feed (<see cref="IAlertChanges"/> = <see cref="AlertFeed"/>), MQTT announcements (when
    /// enabled) and the reads of <see cref="AddAlertingQueries"/>. Rules are loaded and validated when the host starts;
    /// a bad rule stops the start with its id and the reason. Map <see cref="AlertCommandEndpoints.MapAlertCommandEndpoints"/>
    /// to take commands from a dashboard in another process.
    /// </summary>
    public static IServiceCollection AddAlerting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddAlertingQueries(configuration);
        var evaluator = AddEvaluatorOptions(services, configuration);
        if (evaluator.Input == EvaluatorInput.Lease && !services.Any(d => d.ServiceType == typeof(EvaluatorLease)))
        {
            // Registered first so that it stops last: the engine drains, then the lease is released for the standby.
            services.AddSingleton<EvaluatorLease>();
            services.AddSingleton<IEvaluatorGate>(sp => sp.GetRequiredService<EvaluatorLease>());
            services.AddHostedService(sp => sp.GetRequiredService<EvaluatorLease>());
        }

        services.TryAddSingleton<IEvaluatorGate, AlwaysActiveGate>();
        services.TryAddSingleton<SilenceCache>();
        services.TryAddSingleton<SilenceChecker>();
        services.TryAddSingleton<NotificationRoutes>();
        services.TryAddSingleton<NotificationPlanner>();
        services.TryAddSingleton<AlertChangePublisher>();
        // The commands render a group alert's texts when its count changes (IncidentCount), with the sites' names.
        services.TryAddSingleton<ISiteNames>(sp => new RegisteredSiteNames(sp.GetRequiredService<ISiteStore>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<AlertTextRenderer>();
        services.TryAddSingleton<AlertCommands>();
        services.TryAddSingleton<IAlertCommands>(sp => sp.GetRequiredService<AlertCommands>());
        services.TryAddSingleton<IAlertService, AlertService>();
        services.TryAddSingleton<IRuleCommands, RuleCommands>();
        if (!services.Any(d => d.ServiceType == typeof(AlertFeed)))
        {
            // Stored rules the loader refuses degrade the host's health (/healthz, health telemetry); the engine runs the others.
            services.AddSingleton<Ioc.Contract.IDegradedReasons>(sp => sp.GetRequiredService<RuleCatalog>());
            services.AddSingleton<AlertFeed>();
            services.AddSingleton<IAlertAnnouncer>(sp => sp.GetRequiredService<AlertFeed>());
            services.TryAddSingleton<IAlertChanges>(sp => sp.GetRequiredService<AlertFeed>());
        }

        var settings = configuration.GetSection(AlertingOptions.SectionName).Get<AlertingOptions>() ?? new AlertingOptions();
        if (settings.Announcements.Enabled && !services.Any(d => d.ServiceType == typeof(MqttAnnouncer)))
        {
            services.AddMqttConnection(configuration, MqttAnnouncer.MqttComponent);
            services.AddSingleton<MqttAnnouncer>();
            services.AddSingleton<IAlertAnnouncer>(sp => sp.GetRequiredService<MqttAnnouncer>());
            services.AddHostedService(sp => sp.GetRequiredService<MqttAnnouncer>());
        }

        if (!settings.Enabled)
        {
            return services;
        }

        services.TryAddSingleton(sp => new DeviceRegistry(sp.GetRequiredService<RuleSet>(), sp.GetRequiredService<AlertingOptions>().HealthSilentAfter));
        services.TryAddSingleton(sp => new FlapDetector(sp.GetRequiredService<AlertingOptions>().Flapping));
        services.TryAddSingleton<AlertLifecycle>();
        services.TryAddSingleton<AlertEngine>();
        services.AddSingleton<IHeapTrimParticipant>(sp => sp.GetRequiredService<AlertEngine>());
        services.TryAddSingleton<AlertingMetrics>();
        services.TryAddSingleton<AlertIntake>();
        if (evaluator.Input == EvaluatorInput.Lease)
        {
            // The active evaluator reads every device topic itself; the collector's share of the stream is not enough.
            services.AddMqttConnection(configuration, EvaluatorSubscription.MqttComponent);
            services.AddHostedService<AlertEngineService>();
            // After the engine, so that it stops first and nothing is enqueued into a completed intake.
            services.AddHostedService<EvaluatorSubscription>();
        }
        else
        {
            services.AddSingleton<ITelemetryObserver>(sp => sp.GetRequiredService<AlertIntake>());
            services.AddHostedService<AlertEngineService>();
        }

        // No request logging on the senders' clients: Telegram puts the bot token in the URL path (/bot<token>/…) and some
        // webhook URLs carry their secret in the path, and HttpClient's logging writes the URL at Information.
        services.AddHttpClient(WebhookSender.HttpClientName).RemoveAllLoggers();
        services.AddSingleton<INotificationSender, WebhookSender>();
        services.AddSingleton<INotificationSender, EmailSender>();
        services.AddHttpClient(TelegramSender.HttpClientName).RemoveAllLoggers();
        services.AddSingleton<INotificationSender, TelegramSender>();
        services.TryAddSingleton<NotificationDispatcher>();
        services.TryAddSingleton<INotificationTester, NotificationTester>();
        services.AddHostedService<NotificationDispatcherService>();
        return services;
    }

    /// <summary>
    /// Reads only (<see cref="IAlertQueries"/>) over the operational store, for any process: no evaluation, no commands,
    /// no announcements. A dashboard in its own process adds <see cref="AddHttpAlertCommands"/> for commands and an
    /// <see cref="IAlertChanges"/> (<see cref="AddPollingAlertChanges"/> on SQLite) for live changes. The schema
    /// migrations (idempotent; no alert state) run here too, so a dashboard started before the engine can read.
    /// </summary>
    public static IServiceCollection AddAlertingQueries(this IServiceCollection services, IConfiguration configuration)
    {
        AddAlertingOptions(services, configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddOperationalStore(configuration);
        services.TryAddSingleton(sp => LoadRules(sp.GetRequiredService<AlertingOptions>()));
        services.TryAddSingleton<RuleCatalog>();
        services.TryAddSingleton<IAlertQueries, AlertQueries>();
        if (!services.Any(d => d.ImplementationType == typeof(AlertingSchemaInitializer)))
        {
            services.AddHostedService<AlertingSchemaInitializer>();
        }

        return services;
    }

    /// <summary>
    /// <see cref="IAlertCommands"/> sent over HTTP to the engine's host (<see cref="HttpAlertCommands"/>), for a dashboard
    /// in its own process. Needs <c>Ioc:Alerting:CommandToken</c> and, unless another <see cref="IAlertEngineLocator"/> is
    /// registered first, <c>Ioc:Alerting:EngineUrl</c>; both are checked at start-up.
    /// </summary>
    public static IServiceCollection AddHttpAlertCommands(this IServiceCollection services, IConfiguration configuration)
    {
        AddAlertingOptions(services, configuration);
        var evaluator = AddEvaluatorOptions(services, configuration);
        var locatorGiven = services.Any(d => d.ServiceType == typeof(IAlertEngineLocator)) || evaluator.Input == EvaluatorInput.Lease;
        if (evaluator.Input == EvaluatorInput.Lease)
        {
            // Several collectors: commands follow the evaluator lease to whichever one is active.
            services.TryAddSingleton<IAlertEngineLocator, LeaseAlertEngineLocator>();
        }

        services.TryAddSingleton<IAlertEngineLocator, ConfiguredAlertEngineLocator>();
        services.AddSingleton<IValidateOptions<AlertingOptions>>(new AlertEngineClientValidator(requireEngineUrl: !locatorGiven));
        services.AddHttpClient<IAlertCommands, HttpAlertCommands>((sp, http) => http.Timeout = sp.GetRequiredService<IOptions<AlertingOptions>>().Value.CommandTimeout);
        // Test messages go to the engine's host too: its senders hold the tokens and reach the channels.
        services.TryAddTransient<INotificationTester>(sp => sp.GetRequiredService<IAlertCommands>() as INotificationTester
            ?? throw new InvalidOperationException("the registered IAlertCommands cannot send test messages"));
        services.AddHttpClient<IRuleCommands, HttpRuleCommands>((sp, http) => http.Timeout = sp.GetRequiredService<IOptions<AlertingOptions>>().Value.CommandTimeout);
        return services;
    }

    /// <summary>
    /// Live alert and health changes for a process without the engine, by re-reading the store every second
    /// (<see cref="PollingAlertChanges"/>): the SQLite fallback where the store has no change feed.
    /// </summary>
    public static IServiceCollection AddPollingAlertChanges(this IServiceCollection services)
    {
        services.TryAddSingleton<PollingAlertChanges>();
        services.AddSingleton<IAlertChanges>(sp => sp.GetRequiredService<PollingAlertChanges>());
        services.AddHostedService(sp => sp.GetRequiredService<PollingAlertChanges>());
        return services;
    }

    private static EvaluatorOptions AddEvaluatorOptions(IServiceCollection services, IConfiguration configuration)
    {
        AddSectionOptions<EvaluatorOptions>(services, configuration, EvaluatorOptions.SectionName, o => o.Validate());
        return configuration.GetSection(EvaluatorOptions.SectionName).Get<EvaluatorOptions>() ?? new EvaluatorOptions();
    }

    private static void AddAlertingOptions(IServiceCollection services, IConfiguration configuration)
    {
        if (!services.Any(d => d.ServiceType == typeof(IValidateOptions<AlertingOptions>) && d.ImplementationInstance is DelegateValidator<AlertingOptions>))
        {
            // Links in notifications go to the dashboard's public address unless the alerting section names another.
            services.PostConfigure<AlertingOptions>(o => o.Notifications.DashboardUrl ??= NullIfBlank(configuration[DashboardPublicUrlKey]));
        }

        AddSectionOptions<AlertingOptions>(services, configuration, AlertingOptions.SectionName, o => o.Validate());
    }

    /// <summary>The dashboard's public base address (the one people open), for links in notifications.</summary>
    public const string DashboardPublicUrlKey = "Ioc:Dashboard:PublicUrl";

    private static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    /// <summary>Binds one section, validated at start-up with every error named, and registers its value; once per host.</summary>
    private static void AddSectionOptions<T>(IServiceCollection services, IConfiguration configuration, string section, Func<T, IEnumerable<string>> validate)
        where T : class
    {
        if (services.Any(d => d.ServiceType == typeof(IValidateOptions<T>) && d.ImplementationInstance is DelegateValidator<T>))
        {
            return;
        }

        services.AddOptions<T>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>>(new DelegateValidator<T>(validate));
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<T>>().Value);
    }

    /// <summary>Loads the rules file named by <see cref="AlertingOptions.RulesPath"/> (relative to the application directory).</summary>
    public static RuleSet LoadRules(AlertingOptions options) => RuleLoader.LoadFile(RulesFilePath(options));

    /// <summary>The rules file's full path: <see cref="AlertingOptions.RulesPath"/>, relative to the application directory.</summary>
    public static string RulesFilePath(AlertingOptions options) =>
        Path.IsPathRooted(options.RulesPath) ? options.RulesPath : Path.Combine(AppContext.BaseDirectory, options.RulesPath);
}

/// <summary>Applies the alerting migrations at start-up, before anything reads or writes alerts.</summary>
internal sealed class AlertingSchemaInitializer(IAlertStore store, IRuleCatalogStore rules, RuleCatalog catalog) : IHostedService
{
    /// <summary>Migrates; then reads the rule catalogue when it has been seeded (seeding is the engine's, from its rules file).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.MigrateAsync(cancellationToken);
        if (await rules.IsSeededAsync(cancellationToken))
        {
            await catalog.RefreshAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>What a dashboard needs to send commands to the engine: the shared token and where the engine is.</summary>
internal sealed class AlertEngineClientValidator(bool requireEngineUrl) : IValidateOptions<AlertingOptions>
{
    public ValidateOptionsResult Validate(string? name, AlertingOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.CommandToken))
        {
            errors.Add($"{AlertingOptions.SectionName}:CommandToken must be set to send alert commands to the engine: the same secret as on the engine's (collector's) host.");
        }

        if (requireEngineUrl && string.IsNullOrWhiteSpace(options.EngineUrl))
        {
            errors.Add($"{AlertingOptions.SectionName}:EngineUrl must name the engine's (collector's) host, e.g. http://collector:8080/.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

internal sealed class DelegateValidator<T>(Func<T, IEnumerable<string>> validate) : IValidateOptions<T>
    where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var errors = validate(options).ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
