using Ioc.AllInOne.Broker;
using Ioc.Collector.Configuration;
using Ioc.Mqtt;
using Ioc.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Ioc.AllInOne;

/// <summary>Tells the person who ran the command what started and where to go.</summary>
internal static class StartupBanner
{
    public static void Print(WebApplication app)
    {
        var broker = app.Services.GetRequiredService<IOptions<EmbeddedBrokerOptions>>().Value;
        var mqtt = app.Services.GetRequiredKeyedService<MqttConnectionOptions>(CollectorOptions.MqttComponent);
        var collector = app.Services.GetRequiredService<IOptions<CollectorOptions>>().Value;
        var storage = app.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var url = addresses.FirstOrDefault() ?? "(no HTTP endpoint)";
        var store = storage.Provider == StorageProvider.Sqlite
            ? $"SQLite at {Path.GetFullPath(storage.Sqlite.Path)}"
            : $"InfluxDB at {storage.InfluxDB.Url} (database {storage.InfluxDB.Database})";
        Console.WriteLine();
        Console.WriteLine("  Ioc all-in-one is running");
        Console.WriteLine($"    MQTT broker : {(broker.Enabled ? $"embedded, mqtt://{broker.BindAddress}:{broker.Port}" : $"external, mqtt://{mqtt.Host}:{mqtt.Port}")}");
        Console.WriteLine($"    Collector   : {collector.Connections} connection(s), topic {collector.SubscriptionFilter}");
        Console.WriteLine($"    Storage     : {store}");
        Console.WriteLine($"    Syslog      : {SimulatedSyslogWiring.Describe(app.Services.GetRequiredService<Ioc.Collector.Syslog.SyslogListenerService>(), app.Services.GetRequiredService<Ioc.Collector.Syslog.SyslogSenders>())}");
        Console.WriteLine($"    Health      : {url.TrimEnd('/')}/healthz");
        Console.WriteLine($"    Open        : {url}");
        var dashboard = app.Services.GetRequiredService<IOptions<Ioc.Dashboard.Configuration.DashboardOptions>>().Value;
        Console.WriteLine(string.IsNullOrEmpty(dashboard.AdminPassword)
            ? "    Log in      : user 'admin' with the password generated on the first start (printed above then; stored only as a hash)"
            : "    Log in      : user 'admin' with the password given in Ioc:Dashboard:AdminPassword");
        Console.WriteLine("  Press Ctrl+C to stop.");
        Console.WriteLine();
    }
}
