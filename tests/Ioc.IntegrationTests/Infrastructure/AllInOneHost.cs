using Ioc.AllInOne;
using Microsoft.AspNetCore.Builder;

namespace Ioc.IntegrationTests.Infrastructure;

/// <summary>
/// The README's first command in this process: the all-in-one host (<c>host/Ioc.AllInOne</c>: embedded broker,
/// collector, alert engine, SQLite, dashboard, simulators) on free loopback ports, with its database and spool in a
/// temp folder, warnings only in the log. Each test adds its own settings as command-line arguments
/// (<c>--Ioc:Simulators:Enabled=false</c>); a later argument overrides an earlier one. Disposing stops it and deletes the folder.
/// </summary>
public sealed class AllInOneHost : IAsyncDisposable
{
    private AllInOneHost(WebApplication app, string folder, int httpPort, int mqttPort)
    {
        App = app;
        Folder = folder;
        HttpPort = httpPort;
        MqttPort = mqttPort;
    }

    public WebApplication App { get; }

    public IServiceProvider Services => App.Services;

    public string Folder { get; }

    public int HttpPort { get; }

    /// <summary>The embedded broker's port.</summary>
    public int MqttPort { get; }

    /// <summary><c>http://127.0.0.1:{port}/</c>, with the trailing slash a browser context's base URL needs.</summary>
    public string BaseUrl => $"http://127.0.0.1:{HttpPort}/";

    public static async Task<AllInOneHost> StartAsync(params string[] settings)
    {
        var folder = Directory.CreateTempSubdirectory("ioc-aio-").FullName;
        var httpPort = FreePort.Next();
        var mqttPort = FreePort.Next();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(AllInOneExtensions).Assembly.GetName().Name,
            Args =
            [
                $"--Urls=http://127.0.0.1:{httpPort}",
                $"--Ioc:Broker:Port={mqttPort}",
                $"--Ioc:Storage:Sqlite:Path={folder}/ioc.db",
                $"--Ioc:Collector:SpoolPath={folder}/spool",
                "--Ioc:Collector:BatchInterval=00:00:00.100",
                "--Logging:LogLevel:Default=Warning",
                .. settings,
            ],
        });
        builder.AddAllInOne();
        var app = builder.Build();
        app.MapAllInOne();
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            Directory.Delete(folder, recursive: true);
            throw;
        }

        return new AllInOneHost(app, folder, httpPort, mqttPort);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
    }
}
