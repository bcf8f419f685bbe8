using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Ioc.IntegrationTests.Infrastructure;

/// <summary>
/// A real server binary run in the foreground with its data in a temp folder. Start fails loudly, with the
/// server's own output, when the binary is missing or does not come up.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private Process? _process;

    private ServerProcess(string name, string executable, string arguments)
    {
        Name = name;
        Executable = executable;
        Arguments = arguments;
    }

    public string Name { get; }

    public string Executable { get; }

    public string Arguments { get; }

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

    public bool IsRunning => _process is { HasExited: false };

    public int ProcessId => _process?.Id ?? throw new InvalidOperationException($"{Name} is not running");

    public static async Task<ServerProcess> StartAsync(string name, string executable, string arguments, int port, TimeSpan timeout)
    {
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException(
                $"{name} is not installed ({executable} missing). Run the README's test command, which installs it with apt-get.");
        }

        var server = new ServerProcess(name, executable, arguments);
        await server.StartAsync(port, timeout);
        return server;
    }

    public async Task StartAsync(int port, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(Executable, Arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(info) ?? throw new InvalidOperationException($"{Name} did not start");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} at start:\n{Output}");
            }

            if (await CanConnectAsync(port))
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{Name} did not listen on 127.0.0.1:{port} within {timeout}:\n{Output}");
    }

    /// <summary>Stops the server the hard way, as a crash or a pulled plug would.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>SIGTERM, as a service manager's stop or <c>docker stop</c>: the server shuts down its own way (Mosquitto saves its database).</summary>
    public async Task TerminateAsync(TimeSpan timeout)
    {
        if (_process is { HasExited: false } process)
        {
            await Signals.SendAsync(process.Id, "TERM");
            using var cancel = new CancellationTokenSource(timeout);
            await process.WaitForExitAsync(cancel.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }

    private static async Task<bool> CanConnectAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 200_000)
            {
                _output.AppendLine(line);
            }
        }
    }
}
