using System.Diagnostics;
using System.Text;

namespace Ioc.IntegrationTests.Infrastructure;

/// <summary>
/// A shipped service host (<c>collector/Ioc.Collector.Host</c>, <c>dashboard/Ioc.Dashboard.Host</c>) as its own
/// operating-system process, configured through the environment as in docker-compose (<c>Ioc__Mqtt__Host</c>…), so that
/// a test can run the production topology, kill a node with SIGKILL as a crash or a lost node would, and run two side by side.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private readonly Process _process;

    public const string Collector = "collector/Ioc.Collector.Host";
    public const string Dashboard = "dashboard/Ioc.Dashboard.Host";

    private HostProcess(string name, Process process, int httpPort)
    {
        Name = name;
        _process = process;
        HttpPort = httpPort;
    }

    public string Name { get; }

    public int HttpPort { get; }

    public string BaseUrl => $"http://127.0.0.1:{HttpPort}";

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The built host of <paramref name="project"/> (e.g. <see cref="Collector"/>): same configuration (Debug/Release) as the test assembly.</summary>
    public static string HostAssembly(string project)
    {
        var configuration = typeof(HostProcess).Assembly.Location.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        return Path.Combine(RepositoryRoot.Path, project, "bin", configuration, "net10.0", Path.GetFileName(project) + ".dll");
    }

    /// <summary>The collector host, ready when /healthz answers.</summary>
    public static Task<HostProcess> StartCollectorAsync(string name, IReadOnlyDictionary<string, string> settings, int? port = null) =>
        StartAsync(name, Collector, "/healthz", settings, port, TimeSpan.FromSeconds(60));

    /// <summary>The dashboard host, ready when its login page answers.</summary>
    public static Task<HostProcess> StartDashboardAsync(string name, IReadOnlyDictionary<string, string> settings, int? port = null) =>
        StartAsync(name, Dashboard, "/login", settings, port, TimeSpan.FromSeconds(60));

    /// <summary>
    /// Starts <paramref name="project"/>'s host with <paramref name="settings"/> (configuration keys such as <c>Ioc:Mqtt:Host</c>)
    /// and waits until <paramref name="readyPath"/> answers 200 (with <paramref name="anyAnswer"/>: answers at all, e.g. a
    /// /healthz that says 503 because the broker is away).
    /// </summary>
    public static async Task<HostProcess> StartAsync(string name, string project, string readyPath, IReadOnlyDictionary<string, string> settings, int? httpPort, TimeSpan timeout, bool anyAnswer = false)
    {
        var assembly = HostAssembly(project);
        if (!File.Exists(assembly))
        {
            throw new InvalidOperationException($"{project} is not built ({assembly} missing): build the solution first.");
        }

        var port = httpPort ?? FreePort.Next();
        var info = new ProcessStartInfo("dotnet", [assembly])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
        };
        info.Environment["Urls"] = $"http://127.0.0.1:{port}";
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__Console__FormatterName"] = "simple";
        // Tests publish for devices they never registered; the registry check has its own tests (DeviceAdmissionTests).
        info.Environment["Ioc__Devices__AutoRegister"] = "true";
        foreach (var (key, value) in settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"{name} did not start");
        var host = new HostProcess(name, process, port);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{name} exited with code {process.ExitCode} at start:\n{host.Output}");
            }

            try
            {
                using var response = await http.GetAsync($"{host.BaseUrl}{readyPath}");
                if (response.IsSuccessStatusCode || anyAnswer)
                {
                    return host;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        host.Kill();
        throw new TimeoutException($"{name} did not answer {readyPath} within {timeout}:\n{host.Output}");
    }

    /// <summary>SIGKILL: no shutdown, no drain, no lease release; as a crash or a pulled plug.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await Task.CompletedTask;
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length > 200_000)
            {
                _output.Remove(0, 100_000);
            }

            _output.Append('[').Append(Name).Append("] ").AppendLine(line);
        }
    }
}
