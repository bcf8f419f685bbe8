using Ioc.Alerting.Hosting;
using Ioc.Collector;
using Ioc.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddIocServiceDefaults();
builder.AddCollector();
builder.Services.AddAlerting(builder.Configuration);

var app = builder.Build();
app.MapCollectorEndpoints();
app.Run();
