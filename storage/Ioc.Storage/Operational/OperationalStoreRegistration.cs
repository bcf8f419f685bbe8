using Ioc.Storage.Operational.Postgres;
using Ioc.Storage.Operational.Sqlite;
using Ioc.Storage.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ioc.Storage.Operational;

public static class OperationalStoreRegistration
{
    /// <summary>
    /// Registers <see cref="IOperationalStore"/> chosen by <c>Ioc:Operational:Provider</c> (validated at start-up), its
    /// sub-stores as services of their own, and a hosted service that migrates it at start. Idempotent: the all-in-one
    /// host calls it from alerting and from the dashboard. With PostgreSQL, <see cref="PostgresAlertChanges"/> is
    /// registered too (the change feed for a dashboard in another process than the engine).
    /// </summary>
    public static IServiceCollection AddOperationalStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OperationalOptions>()
            .Bind(configuration.GetSection(OperationalOptions.SectionName))
            .PostConfigure(options =>
            {
                // Not set: the same file as the telemetry SQLite store, as before the operational store had its own key.
                if (configuration[$"{OperationalOptions.SectionName}:Sqlite:Path"] is null
                    && configuration[$"{StorageOptions.SectionName}:Sqlite:Path"] is { Length: > 0 } telemetryPath)
                {
                    options.Sqlite.Path = telemetryPath;
                }
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OperationalOptions>, OperationalOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IOperationalStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<OperationalOptions>>().Value;
            return options.Provider == OperationalProvider.Postgres
                ? new PostgresOperationalStore(options.Postgres.ConnectionString!)
                : new SqliteOperationalStore(new SqliteDatabase(new SqliteOptions { Path = options.Sqlite.Path }));
        });
        services.TryAddSingleton(sp => sp.GetRequiredService<IOperationalStore>().Alerts);
        services.TryAddSingleton(sp => sp.GetRequiredService<IOperationalStore>().Notifications);
        services.TryAddSingleton(sp => sp.GetRequiredService<IOperationalStore>().Devices);
        services.TryAddSingleton(sp => sp.GetRequiredService<IOperationalStore>().DeviceCredentials);
        services.TryAddSingleton(sp => sp.GetRequiredService<IOperationalStore>().Sites);
        services.TryAddSingleton(sp => sp.GetRequiredService<IOperationalStore>().ApiTokens);
        services.TryAddSingleton(sp => sp.GetRequiredService<IOperationalStore>().Rules);
        services.TryAddSingleton(sp => sp.GetRequiredService<IOperationalStore>().Users);
        services.TryAddSingleton(sp => sp.GetRequiredService<IOperationalStore>().Audit);
        services.TryAddSingleton(sp => sp.GetRequiredService<IOperationalStore>().DeadLetters);
        services.TryAddSingleton(sp => sp.GetRequiredService<IOperationalStore>().Leases);
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<OperationalOptions>>().Value;
            if (options.Provider != OperationalProvider.Postgres)
            {
                throw new InvalidOperationException($"{nameof(PostgresAlertChanges)} needs {OperationalOptions.SectionName}:Provider = Postgres.");
            }

            return new PostgresAlertChanges(options.Postgres.ConnectionString!, sp.GetRequiredService<IOperationalStore>().Alerts, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<PostgresAlertChanges>>());
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, OperationalStoreInitializer>());
        return services;
    }
}

/// <summary>Migrates the operational store when the host starts, before anything reads or writes it.</summary>
internal sealed class OperationalStoreInitializer(IOperationalStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

internal sealed class OperationalOptionsValidator : IValidateOptions<OperationalOptions>
{
    public ValidateOptionsResult Validate(string? name, OperationalOptions options)
    {
        var errors = options.Validate().ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
