namespace Ioc.IntegrationTests.Infrastructure;

/// <summary>A real Mosquitto broker on a free loopback port, with persistence in a temp folder.</summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    public const string Executable = "/usr/sbin/mosquitto";
    private readonly string _folder;
    private ServerProcess? _process;

    private MosquittoBroker(string folder, int port)
    {
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    public string Folder => _folder;

    /// <summary>A broker whose only listener is TLS, with a self-signed certificate for 127.0.0.1 made by openssl.</summary>
    public static async Task<MosquittoBroker> StartTlsAsync()
    {
        var folder = Directory.CreateTempSubdirectory("ioc-mosquitto-tls-").FullName;
        using (var openssl = System.Diagnostics.Process.Start("/usr/bin/openssl", [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", $"{folder}/key.pem", "-out", $"{folder}/cert.pem"]) ?? throw new InvalidOperationException("openssl did not start"))
        {
            await openssl.WaitForExitAsync();
            if (openssl.ExitCode != 0)
            {
                throw new InvalidOperationException($"openssl exited {openssl.ExitCode}");
            }
        }

        var port = FreePort.Next();
        await File.WriteAllTextAsync(Path.Combine(folder, "mosquitto.conf"), $"""
            listener {port} 127.0.0.1
            certfile {folder}/cert.pem
            keyfile {folder}/key.pem
            allow_anonymous true
            log_dest stderr
            user root
            """);
        var broker = new MosquittoBroker(folder, port);
        await broker.RestartAsync();
        return broker;
    }

    public static async Task<MosquittoBroker> StartAsync(string? username = null, string? password = null, string? extraConfig = null)
    {
        var folder = Directory.CreateTempSubdirectory("ioc-mosquitto-").FullName;
        var port = FreePort.Next();
        var authentication = "allow_anonymous true";
        if (username is not null)
        {
            using var passwd = System.Diagnostics.Process.Start("/usr/bin/mosquitto_passwd", ["-b", "-c", $"{folder}/passwd", username, password ?? string.Empty])
                ?? throw new InvalidOperationException("mosquitto_passwd did not start");
            await passwd.WaitForExitAsync();
            if (passwd.ExitCode != 0)
            {
                throw new InvalidOperationException($"mosquitto_passwd exited {passwd.ExitCode}");
            }

            authentication = $"allow_anonymous false\npassword_file {folder}/passwd";
        }

        // Queues sized for drain tests: a persistent session keeps everything published while its collector is away.
        await File.WriteAllTextAsync(Path.Combine(folder, "mosquitto.conf"), $"""
            listener {port} 127.0.0.1
            {authentication}
            persistence true
            persistence_location {folder}/
            log_dest stderr
            log_type error
            log_type warning
            max_queued_messages 2000000
            max_inflight_messages 0
            max_keepalive 120
            set_tcp_nodelay true
            user root
            {extraConfig ?? string.Empty}
            """);
        var broker = new MosquittoBroker(folder, port);
        await broker.RestartAsync();
        return broker;
    }

    /// <summary>SIGTERM and wait for the exit: Mosquitto writes its persistence database (sessions, subscriptions, queues) on the way out.</summary>
    public async Task TerminateAsync()
    {
        if (_process is not null)
        {
            await _process.TerminateAsync(TimeSpan.FromSeconds(30));
            await _process.DisposeAsync();
            _process = null;
        }
    }

    /// <summary>SIGKILL: only what the last autosave wrote survives.</summary>
    public Task KillAsync() => StopAsync();

    /// <summary>Starts (again) on the same port and folder, keeping what was persisted.</summary>
    public async Task RestartAsync()
    {
        _process = await ServerProcess.StartAsync("Mosquitto", Executable, $"-c {_folder}/mosquitto.conf", Port, TimeSpan.FromSeconds(15));
    }

    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        TryDelete(_folder);
    }

    internal static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
