using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Ioc.Mqtt.Hosting;

/// <summary>Hosting glue: binds <see cref="MqttConnectionOptions"/> for one component and validates it at start-up.</summary>
public static class MqttConnectionRegistration
{
    /// <summary>
    /// Registers the options of <paramref name="component"/> (e.g. "Collector"): <c>Ioc:Mqtt</c>, overlaid with any key
    /// set in <c>Ioc:Mqtt:{component}</c> (its own credentials, say). Validated when the host starts, every problem named
    /// by the key that holds it. Resolve them as the keyed service <c>[FromKeyedServices(component)] MqttConnectionOptions</c>
    /// or through <c>IOptionsMonitor&lt;MqttConnectionOptions&gt;.Get(component)</c>.
    /// </summary>
    public static IServiceCollection AddMqttConnection(this IServiceCollection services, IConfiguration configuration, string component)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(component);
        services.AddOptions<MqttConnectionOptions>(component)
            .Bind(configuration.GetSection(MqttConnectionOptions.SectionName))
            .Bind(configuration.GetSection(OverrideSection(component)))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MqttConnectionOptions>>(new Validator(configuration)));
        services.TryAddKeyedSingleton(component, static (sp, key) => sp.GetRequiredService<IOptionsMonitor<MqttConnectionOptions>>().Get((string)key!));
        return services;
    }

    public static string OverrideSection(string component) => $"{MqttConnectionOptions.SectionName}:{component}";

    private sealed class Validator(IConfiguration configuration) : IValidateOptions<MqttConnectionOptions>
    {
        public ValidateOptionsResult Validate(string? name, MqttConnectionOptions options)
        {
            var overrides = string.IsNullOrEmpty(name) ? null : configuration.GetSection(OverrideSection(name));
            var errors = options.Validate(key => overrides is not null && overrides.GetSection(key).Value is not null
                ? $"{overrides.Path}:{key}"
                : $"{MqttConnectionOptions.SectionName}:{key}").ToList();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
