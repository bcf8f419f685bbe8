using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Ioc.ServiceDefaults;

public static partial class ServiceDefaultsExtensions
{
    /// <summary>Logging, shutdown behaviour, metrics and traces (<see cref="TelemetryRegistration"/>) every Ioc host shares.</summary>
    public static IHostApplicationBuilder AddIocServiceDefaults(this IHostApplicationBuilder builder)
    {
        builder.Logging.AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = "HH:mm:ss.fff ";
            options.ColorBehavior = LoggerColorBehavior.Disabled;
        });
        builder.Services.Configure<HostOptions>(options =>
        {
            // Long enough for the pipeline to drain and acknowledge what it has stored.
            options.ShutdownTimeout = TimeSpan.FromSeconds(30);
            options.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost;
        });
        // StopHost stops the host, but Run() then returns normally and the process exits 0 (until .NET 11), so a
        // supervisor would take a crash for a clean stop. This sets the exit code to 1 when a service has failed.
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ExitCodeOnFailure>());
        builder.Services.AddIocTelemetry(builder.Configuration, builder.Environment.ApplicationName);
        return builder;
    }

    /// <summary>
    /// Binds <typeparamref name="T"/> to <paramref name="section"/> and refuses to start while any of
    /// <paramref name="validate"/>'s messages stands; all messages are reported at once.
    /// </summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, IConfiguration configuration, string section, Func<T, IEnumerable<string>> validate)
        where T : class
    {
        // TryAddEnumerable: several Add…() calls may bind the same section (collector and dashboard in one host);
        // each problem is still reported once.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<T>>(new DelegateValidator<T>(validate)));
        return services.AddOptions<T>().Bind(configuration.GetSection(section)).ValidateOnStart();
    }

    /// <summary>
    /// Once the host has stopped, sets <see cref="Environment.ExitCode"/> to 1 if any <see cref="BackgroundService"/>
    /// ended with an exception (which, with StopHost, is what stopped it). Checked in StoppedAsync, which the host
    /// runs before Run/RunAsync returns, so Program's <c>app.Run()</c> then ends the process with code 1.
    /// </summary>
    private sealed partial class ExitCodeOnFailure(IServiceProvider services, ILogger<ExitCodeOnFailure> logger) : IHostedLifecycleService
    {
        public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppedAsync(CancellationToken cancellationToken)
        {
            foreach (var service in services.GetServices<IHostedService>().OfType<BackgroundService>())
            {
                if (service.ExecuteTask is { IsFaulted: true } failed)
                {
                    Environment.ExitCode = 1;
                    LogFailed(logger, service.GetType().Name, failed.Exception.GetBaseException());
                }
            }

            return Task.CompletedTask;
        }

        [LoggerMessage(Level = LogLevel.Critical, Message = "{Service} failed, which stopped the host; the process exits with code 1")]
        private static partial void LogFailed(ILogger logger, string service, Exception exception);
    }

    private sealed class DelegateValidator<T>(Func<T, IEnumerable<string>> validate) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var errors = validate(options).ToList();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
