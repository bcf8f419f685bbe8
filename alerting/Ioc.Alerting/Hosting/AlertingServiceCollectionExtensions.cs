using Ioc.Alerting.Announce;
using Ioc.Alerting.Devices;
using Ioc.Alerting.Engine;
using Ioc.Alerting.Notifications;
using Ioc.Alerting.Rules;
using Ioc.Alerting.Service;
using Ioc.Alerting.Storage;
using Ioc.Contract;
using Ioc.Mqtt.Hosting;
using Ioc.Storage;
using Ioc.Storage.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Ioc.Alerting.Hosting;

public static class AlertingServiceCollectionExtensions
{
    /// <summary>
    /// The whole alerting stack for the collector's host: the engine as an <see cref="ITelemetryObserver"/>, its
    /// evaluation loop, the notification dispatcher, MQTT announcements (when enabled) and <see cref="IAlertService"/>.
    /// Rules are loaded and validated when the host starts; a bad rule stops the start with its id and the reason.
    /// </summary>
    public static IServiceCollection AddAlerting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddAlertingQueries(configuration);
        var settings = configuration.GetSection(AlertingOptions.SectionName).Get<AlertingOptions>() ?? new AlertingOptions();
        if (!settings.Enabled)
        {
            return services;
        }

        services.TryAddSingleton(sp => new DeviceRegistry(sp.GetRequiredService<RuleSet>(), sp.GetRequiredService<AlertingOptions>().HealthSilentAfter));
        services.TryAddSingleton(sp => new FlapDetector(sp.GetRequiredService<AlertingOptions>().Flapping));
        services.TryAddSingleton<AlertLifecycle>();
        services.TryAddSingleton<AlertEngine>();
        services.TryAddSingleton<AlertIntake>();
        services.AddSingleton<ITelemetryObserver>(sp => sp.GetRequiredService<AlertIntake>());
        services.AddHostedService<AlertEngineService>();

        services.AddHttpClient(WebhookSender.HttpClientName);
        services.AddSingleton<INotificationSender, WebhookSender>();
        services.AddSingleton<INotificationSender, EmailSender>();
        services.TryAddSingleton<NotificationDispatcher>();
        services.AddHostedService<NotificationDispatcherService>();
        return services;
    }

    /// <summary>
    /// Only what a dashboard needs to read and act on alerts (<see cref="IAlertService"/>, <see cref="AlertFeed"/>,
    /// announcements), over the same SQLite store as the engine, without evaluating anything.
    /// </summary>
    public static IServiceCollection AddAlertingQueries(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AlertingOptions>().Bind(configuration.GetSection(AlertingOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AlertingOptions>, AlertingOptionsValidator>());
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<AlertingOptions>>().Value);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ =>
        {
            var storage = configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
            return new SqliteDatabase(storage.Sqlite);
        });
        services.TryAddSingleton(sp => LoadRules(sp.GetRequiredService<AlertingOptions>()));
        services.TryAddSingleton<AlertStore>();
        services.TryAddSingleton<NotificationStore>();
        services.TryAddSingleton<DeviceStore>();
        services.TryAddSingleton<SilenceCache>();
        services.TryAddSingleton<NotificationPlanner>();
        services.TryAddSingleton<AlertChangePublisher>();
        services.TryAddSingleton<IAlertService, AlertService>();
        services.TryAddSingleton<AlertFeed>();
        services.AddSingleton<IAlertAnnouncer>(sp => sp.GetRequiredService<AlertFeed>());
        services.AddHostedService<AlertingSchemaInitializer>();

        var settings = configuration.GetSection(AlertingOptions.SectionName).Get<AlertingOptions>() ?? new AlertingOptions();
        if (settings.Announcements.Enabled)
        {
            services.AddMqttConnection(configuration, MqttAnnouncer.MqttComponent);
            services.TryAddSingleton<MqttAnnouncer>();
            services.AddSingleton<IAlertAnnouncer>(sp => sp.GetRequiredService<MqttAnnouncer>());
            services.AddHostedService(sp => sp.GetRequiredService<MqttAnnouncer>());
        }

        return services;
    }

    /// <summary>Loads the rules file named by <see cref="AlertingOptions.RulesPath"/> (relative to the application directory).</summary>
    public static RuleSet LoadRules(AlertingOptions options)
    {
        var path = Path.IsPathRooted(options.RulesPath) ? options.RulesPath : Path.Combine(AppContext.BaseDirectory, options.RulesPath);
        return RuleLoader.LoadFile(path);
    }
}

/// <summary>Applies the alerting migrations at start-up, before anything reads or writes alerts.</summary>
internal sealed class AlertingSchemaInitializer(AlertStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

internal sealed class AlertingOptionsValidator : IValidateOptions<AlertingOptions>
{
    public ValidateOptionsResult Validate(string? name, AlertingOptions options)
    {
        var errors = options.Validate().ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
