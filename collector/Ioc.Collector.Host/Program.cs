using Ioc.Alerting.Hosting;
using Ioc.Collector;
using Ioc.ServiceDefaults;
using Ioc.Storage.Operational;

if (args.Length > 0 && args[0] == DeviceProvisioning.Verb)
{
    // Device credentials in the configured operational store (docs/broker-identity.md), then exit.
    var tool = Host.CreateApplicationBuilder(args[1..]);
    tool.Services.AddOperationalStore(tool.Configuration);
    using var host = tool.Build();
    var store = host.Services.GetRequiredService<IOperationalStore>();
    await store.MigrateAsync(CancellationToken.None);
    return await DeviceProvisioning.RunAsync(args, store.DeviceCredentials, TimeProvider.System, Console.Out, Console.Error, CancellationToken.None);
}

if (args.Length > 0 && args[0] == SiteProvisioning.Verb)
{
    // The site registry (names of sites in words) in the configured operational store, then exit.
    var tool = Host.CreateApplicationBuilder(args[1..]);
    tool.Services.AddOperationalStore(tool.Configuration);
    using var host = tool.Build();
    var store = host.Services.GetRequiredService<IOperationalStore>();
    await store.MigrateAsync(CancellationToken.None);
    return await SiteProvisioning.RunAsync(args, store.Sites, TimeProvider.System, Console.Out, Console.Error, CancellationToken.None);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddIocServiceDefaults();
// Alerting first: hosted services stop in reverse order, so the engine outlives the collector's drain.
builder.Services.AddAlerting(builder.Configuration);
builder.AddCollector();

var app = builder.Build();
app.MapCollectorEndpoints();
// Commands from a dashboard in another process (needs Ioc:Alerting:CommandToken).
app.MapAlertCommandEndpoints();
await app.RunAsync();
return 0;
