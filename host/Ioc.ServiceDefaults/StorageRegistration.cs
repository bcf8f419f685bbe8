using System.Net;
using Ioc.Contract;
using Ioc.Storage;
using Ioc.Storage.InfluxDb;
using Ioc.Storage.Operational;
using Ioc.Storage.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ioc.ServiceDefaults;

public static class StorageRegistration
{
    /// <summary>
    /// Registers the telemetry store chosen by <c>Ioc:Storage:Provider</c>, the operational store chosen by
    /// <c>Ioc:Operational:Provider</c> (with the dead-letter store), and the contract decoder, all validated at start-up. Safe to call from every Add…() of a
    /// host: what is registered already is kept.
    /// </summary>
    public static IServiceCollection AddIocStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<StorageOptions>(configuration, StorageOptions.SectionName, o => o.Validate());
        services.AddValidatedOptions<ContractOptions>(configuration, ContractOptions.SectionName, o => o.Validate());
        services.TryAddSingleton(sp => new MessageDecoder(sp.GetRequiredService<IOptions<ContractOptions>>().Value));
        services.TryAddSingleton(sp => new SqliteDatabase(sp.GetRequiredService<IOptions<StorageOptions>>().Value.Sqlite));
        // Dead letters live in the operational store (SQLite or PostgreSQL, Ioc:Operational).
        services.AddOperationalStore(configuration);
        services.TryAddSingleton<SqliteTelemetryStore>();
        services.TryAddSingleton<ITelemetryStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            if (options.Provider == StorageProvider.Sqlite)
            {
                return sp.GetRequiredService<SqliteTelemetryStore>();
            }

            var handler = new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                AutomaticDecompression = DecompressionMethods.All,
                MaxConnectionsPerServer = 8,
            };
            return new InfluxDbStore(new HttpClient(handler), options.InfluxDB, sp.GetRequiredService<ILogger<InfluxDbStore>>());
        });
        return services;
    }
}
