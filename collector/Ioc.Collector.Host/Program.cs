using Ioc.Collector;
using Ioc.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddIocServiceDefaults();
builder.AddCollector();

var app = builder.Build();
app.MapCollectorEndpoints();
app.Run();
