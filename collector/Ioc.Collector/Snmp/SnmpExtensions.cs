using Ioc.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ioc.Collector.Snmp;

public static class SnmpExtensions
{
    /// <summary>The SNMP bridge (section <c>Ioc:Snmp</c>): pollers for the configured targets and the trap receiver; idle when nothing is configured.</summary>
    public static IServiceCollection AddSnmpBridge(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<SnmpOptions>(configuration, SnmpOptions.SectionName, o => o.Validate());
        services.AddSingleton<SnmpStatus>();
        services.AddHostedService<SnmpPollerService>();
        services.AddHostedService<SnmpTrapService>();
        return services;
    }
}
