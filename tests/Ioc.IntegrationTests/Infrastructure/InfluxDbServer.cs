using System.Net.Http.Json;
using System.Text.Json;

namespace Ioc.IntegrationTests.Infrastructure;

/// <summary>A real InfluxDB 1.x (Debian's 1.6.7) on free loopback ports, with its data in a temp folder.</summary>
public sealed class InfluxDbServer : IAsyncDisposable
{
    public const string Executable = "/usr/bin/influxd";
    private readonly string _folder;
    private ServerProcess? _process;

    private InfluxDbServer(string folder, int port)
    {
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public static async Task<InfluxDbServer> StartAsync(bool authEnabled = false)
    {
        var folder = Directory.CreateTempSubdirectory("ioc-influxdb-").FullName;
        var port = FreePort.Next();
        var rpcPort = FreePort.Next();
        await File.WriteAllTextAsync(Path.Combine(folder, "influxdb.conf"), $"""
            reporting-enabled = false
            bind-address = "127.0.0.1:{rpcPort}"
            [meta]
              dir = "{folder}/meta"
            [data]
              dir = "{folder}/data"
              wal-dir = "{folder}/wal"
              query-log-enabled = false
            [http]
              bind-address = "127.0.0.1:{port}"
              log-enabled = false
              max-body-size = 0
              auth-enabled = {(authEnabled ? "true" : "false")}
            [monitor]
              store-enabled = false
            [logging]
              level = "warn"
            """);
        var server = new InfluxDbServer(folder, port);
        await server.RestartAsync();
        return server;
    }

    /// <summary>Starts (again) on the same port and folder, keeping what was persisted.</summary>
    public async Task RestartAsync()
    {
        _process = await ServerProcess.StartAsync("InfluxDB", Executable, $"run -config {_folder}/influxdb.conf", Port, TimeSpan.FromSeconds(30));
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var ping = await http.GetAsync($"{Url}/ping");
                if ((int)ping.StatusCode == 204)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"InfluxDB did not answer /ping:\n{_process.Output}");
    }

    /// <summary>SIGSTOP: the process is frozen (a stalled disk, a VM pause); connections stay open and requests hang.</summary>
    public Task FreezeAsync() => Signals.SendAsync(RunningProcess.ProcessId, "STOP");

    /// <summary>SIGCONT after <see cref="FreezeAsync"/>.</summary>
    public Task ThawAsync() => Signals.SendAsync(RunningProcess.ProcessId, "CONT");

    private ServerProcess RunningProcess => _process ?? throw new InvalidOperationException("InfluxDB is not running");

    /// <summary>Kills the server as a crash would; its data stays for the restart.</summary>
    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.KillAsync();
            await _process.DisposeAsync();
            _process = null;
        }
    }

    /// <summary>Runs InfluxQL directly, bypassing the store under test, and returns the first series' values.</summary>
    public async Task<JsonElement> QueryAsync(string database, string influxQl)
    {
        using var http = new HttpClient();
        var uri = $"{Url}/query?db={Uri.EscapeDataString(database)}&epoch=ns&q={Uri.EscapeDataString(influxQl)}";
        var document = await http.GetFromJsonAsync<JsonElement>(uri);
        return document.GetProperty("results")[0];
    }

    /// <summary>The distinct integer values of <paramref name="field"/> in <paramref name="measurement"/> (for set comparisons after a fault).</summary>
    public async Task<HashSet<long>> DistinctAsync(string database, string measurement, string field)
    {
        var result = await QueryAsync(database, $"SELECT DISTINCT(\"{field}\") FROM \"{measurement}\"");
        var values = new HashSet<long>();
        if (result.TryGetProperty("series", out var series))
        {
            foreach (var row in series[0].GetProperty("values").EnumerateArray())
            {
                values.Add((long)row[1].GetDouble());
            }
        }

        return values;
    }

    public async Task<long> CountAsync(string database, string influxQl)
    {
        var result = await QueryAsync(database, influxQl);
        if (!result.TryGetProperty("series", out var series))
        {
            return 0;
        }

        return series[0].GetProperty("values")[0][1].GetInt64();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        MosquittoBroker.TryDelete(_folder);
    }
}
