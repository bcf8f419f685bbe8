using Ioc.Contract.Alerts;
using Ioc.Storage.Operational;
using Ioc.Storage.Operational.Postgres;
using Ioc.Alerting.Hosting;
using Ioc.Dashboard;

// Serves the dashboard alone, against the SQLite file / InfluxDB and the MQTT broker named in configuration.
var builder = WebApplication.CreateBuilder(args);
// Static files of the dashboard library and its packages from the build output, in every environment.
builder.WebHost.UseStaticWebAssets();
builder.Services.AddIocDashboard(builder.Configuration);
// The alert engine runs in the collector and is the only writer of alert state. This process reads the store, sends
// commands to the engine over HTTP (Ioc:Alerting:EngineUrl, Ioc:Alerting:CommandToken) and follows the store's changes.
builder.Services.AddAlertingQueries(builder.Configuration);
builder.Services.AddHttpAlertCommands(builder.Configuration);
AddAlertChangeFeed(builder.Services, builder.Configuration);

var app = builder.Build();
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/denied", createScopeForErrors: true);
}

// Security headers and HSTS (outside Development) come with the dashboard's pipeline.

app.MapIocDashboard();
app.Run();

// Where live alert and device-health changes come from when the engine runs elsewhere: the operational store's own change
// feed (PostgreSQL LISTEN/NOTIFY, pushed by triggers as the engine writes); on SQLite, which has none, the store is
// re-read every second.
static void AddAlertChangeFeed(IServiceCollection services, IConfiguration configuration)
{
    if (configuration.GetSection(OperationalOptions.SectionName).Get<OperationalOptions>()?.Provider == OperationalProvider.Postgres)
    {
        services.AddSingleton<IAlertChanges>(sp => sp.GetRequiredService<PostgresAlertChanges>());
    }
    else
    {
        services.AddPollingAlertChanges();
    }
}

/// <summary>Entry point, visible to the end-to-end tests.</summary>
public partial class Program;
