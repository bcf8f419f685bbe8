using Ioc.Alerting.Hosting;
using Ioc.Dashboard;

// Serves the dashboard alone, against the SQLite file / InfluxDB and the MQTT broker named in configuration.
var builder = WebApplication.CreateBuilder(args);
// Static files of the dashboard library and its packages from the build output, in every environment.
builder.WebHost.UseStaticWebAssets();
builder.Services.AddIocDashboard(builder.Configuration);
// The alert engine runs in the collector; the dashboard reads and acts on the same SQLite store.
builder.Services.AddAlertingQueries(builder.Configuration).BindAlertEngine();

var app = builder.Build();
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/denied", createScopeForErrors: true);
    app.UseHsts();
}

app.MapIocDashboard();
app.Run();

/// <summary>Entry point, visible to the end-to-end tests.</summary>
public partial class Program;
