using Ioc.Contract;
using Ioc.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Ioc.Collector.Syslog;

public static class SyslogExtensions
{
    /// <summary>
    /// The syslog receiver (section <c>Ioc:Syslog</c>): registered always, so /healthz can say it is off; it listens only
    /// on the endpoints configured. Call after the MQTT ingress is registered: hosted services stop in reverse order, so
    /// the listeners stop, and what they received is on the ingest queue, before the collector drains it.
    /// </summary>
    public static IServiceCollection AddSyslogIngress(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<SyslogOptions>(configuration, SyslogOptions.SectionName, o => o.Validate())
            .Configure(o => o.SenderMap = SyslogOptions.ReadSenders(configuration));
        services.AddSingleton<SyslogSenders>();
        services.AddSingleton<SyslogMetrics>();
        services.AddSingleton(sp => new SyslogEventMapper(sp.GetRequiredService<IOptions<ContractOptions>>().Value));
        services.AddSingleton<SyslogDeadLetters>();
        services.AddSingleton<SyslogIngress>();
        services.AddSingleton<SyslogListenerService>();
        services.AddHostedService(sp => sp.GetRequiredService<SyslogDeadLetters>());
        services.AddHostedService(sp => sp.GetRequiredService<SyslogListenerService>());
        return services;
    }
}
