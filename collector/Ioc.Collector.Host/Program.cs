using Ioc.Alerting.Hosting;
using Ioc.Collector;
using Ioc.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddIocServiceDefaults();
// Alerting first: hosted services stop in reverse order, so the engine outlives the collector's drain.
builder.Services.AddAlerting(builder.Configuration);
builder.AddCollector();

var app = builder.Build();
app.MapCollectorEndpoints();
// Commands from a dashboard in another process (needs Ioc:Alerting:CommandToken).
app.MapAlertCommandEndpoints();
app.Run();
