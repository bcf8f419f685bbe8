using Ioc.AllInOne;

var builder = WebApplication.CreateBuilder(args);
builder.AddAllInOne();

var app = builder.Build();
app.MapAllInOne();
app.Run();

/// <summary>Entry point, visible to the integration tests' WebApplicationFactory-free host runs.</summary>
public partial class Program;
