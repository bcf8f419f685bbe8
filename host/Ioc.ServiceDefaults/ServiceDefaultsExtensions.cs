using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Ioc.ServiceDefaults;

public static class ServiceDefaultsExtensions
{
    /// <summary>Logging and shutdown behaviour every Ioc host shares.</summary>
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
