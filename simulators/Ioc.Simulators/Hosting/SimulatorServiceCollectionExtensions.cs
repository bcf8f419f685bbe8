using Ioc.Mqtt.Hosting;
using Ioc.Simulators.Fleet;
using Ioc.Simulators.Publishing;
using Ioc.Simulators.Syslog;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Ioc.Simulators.Hosting;

public static class SimulatorServiceCollectionExtensions
{
    /// <summary>
    /// Registers the simulated province (sections <c>Ioc:Simulators</c> and <c>Ioc:Mqtt</c>, validated at start-up): the hosted simulator,
    /// <see cref="IScenarioRunner"/>, the <see cref="FleetDefinition"/> it simulates and its <see cref="SimulatorStats"/>.
    /// </summary>
    public static IServiceCollection AddSimulators(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SimulatorOptions>().Bind(configuration.GetSection(SimulatorOptions.SectionName)).ValidateOnStart();
        services.AddMqttConnection(configuration, SinkClients.MqttComponent);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SimulatorOptions>, SimulatorOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SimulationSession>();
        services.TryAddSingleton(sp => sp.GetRequiredService<SimulationSession>().Fleet);
        services.TryAddSingleton(sp => sp.GetRequiredService<SimulationSession>().Stats);
        services.TryAddSingleton<IScenarioRunner, ScenarioRunner>();
        services.AddOptions<SimulatedSyslogOptions>().Bind(configuration.GetSection(SimulatedSyslogOptions.SectionName))
            .Validate(o => !o.Validate().Any(), "Ioc:Simulators:Syslog:Target must be tcp://ADDRESS:PORT or udp://ADDRESS:PORT").ValidateOnStart();
        services.TryAddSingleton<ISimulatedSyslogTargetSource>(sp => new ConfiguredSyslogTarget(sp.GetRequiredService<IOptions<SimulatedSyslogOptions>>().Value));
        services.AddHostedService<SimulatorHostedService>();
        return services;
    }
}
