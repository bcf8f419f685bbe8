using System.Diagnostics;
using System.Text;

namespace Ioc.IntegrationTests.Infrastructure;

/// <summary>
/// The shipped collector host (<c>collector/Ioc.Collector.Host</c>) as its own operating-system process, configured
/// through the environment as in docker-compose (<c>Ioc__Mqtt__Host</c>…), so that a test can kill it with SIGKILL as a
/// crash or a lost node would, and run two of them side by side.
/// </summary>
public sealed class CollectorProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private readonly Process _process;

    private CollectorProcess(string name, Process process, int httpPort)
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

    /// <summary>The built host: same configuration (Debug/Release) as the test assembly.</summary>
    public static string HostAssembly
    {
        get
        {
            var configuration = typeof(CollectorProcess).Assembly.Location.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
            return Path.Combine(RepositoryRoot.Path, "collector", "Ioc.Collector.Host", "bin", configuration, "net10.0", "Ioc.Collector.Host.dll");
        }
    }

    /// <summary>Starts the host with <paramref name="settings"/> (configuration keys such as <c>Ioc:Mqtt:Host</c>) and waits until /healthz answers.</summary>
    public static async Task<CollectorProcess> StartAsync(string name, IReadOnlyDictionary<string, string> settings, TimeSpan timeout)
    {
        var assembly = HostAssembly;
        if (!File.Exists(assembly))
        {
            throw new InvalidOperationException($"The collector host is not built ({assembly} missing): build the solution first.");
        }

        var port = FreePort.Next();
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
        foreach (var (key, value) in settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"{name} did not start");
        var collector = new CollectorProcess(name, process, port);
        process.OutputDataReceived += (_, e) => collector.Append(e.Data);
        process.ErrorDataReceived += (_, e) => collector.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{name} exited with code {process.ExitCode} at start:\n{collector.Output}");
            }

            try
            {
                using var response = await http.GetAsync($"{collector.BaseUrl}/healthz");
                if (response.IsSuccessStatusCode)
                {
                    return collector;
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

        collector.Kill();
        throw new TimeoutException($"{name} did not answer /healthz within {timeout}:\n{collector.Output}");
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
