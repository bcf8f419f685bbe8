using Ioc.Dashboard;

// Serves the dashboard alone, against the SQLite file / InfluxDB and the MQTT broker named in configuration.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddIocDashboard(builder.Configuration);

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
