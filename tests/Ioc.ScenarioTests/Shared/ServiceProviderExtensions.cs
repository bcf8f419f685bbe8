using Ioc.Alerting.Announce;
using Microsoft.Extensions.DependencyInjection;

namespace Ioc.ScenarioTests.Shared;

internal static class ServiceProviderExtensions
{
    public static AlertFeed GetFeed(this IServiceProvider services) => services.GetRequiredService<AlertFeed>();
}
