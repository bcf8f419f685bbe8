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

    /// <summary>
    /// The shipped configuration (deploy/mosquitto/mosquitto.conf with deploy/mosquitto/acl), moved to a free loopback
    /// port and a temp folder; <paramref name="users"/> are written to its password file with mosquitto_passwd, then
    /// <paramref name="extraPasswdLines"/> (lines exported from the device registry) are appended as they are.
    /// </summary>
    public static async Task<MosquittoBroker> StartShippedAsync(IReadOnlyDictionary<string, string> users, IEnumerable<string>? extraPasswdLines = null)
    {
        var folder = Directory.CreateTempSubdirectory("ioc-mosquitto-shipped-").FullName;
        var port = FreePort.Next();
        var deploy = Path.Combine(RepositoryRoot.Path, "deploy", "mosquitto");
        File.Copy(Path.Combine(deploy, "acl"), Path.Combine(folder, "acl"));
        await File.WriteAllTextAsync(Path.Combine(folder, "passwd"), string.Empty);
        foreach (var (username, password) in users)
        {
            await MosquittoPasswdAsync($"{folder}/passwd", username, password);
        }

        if (extraPasswdLines is not null)
        {
            await File.AppendAllLinesAsync(Path.Combine(folder, "passwd"), extraPasswdLines);
        }

        var shipped = await File.ReadAllLinesAsync(Path.Combine(deploy, "mosquitto.conf"));
        var config = shipped.Select(line => line.Split(' ')[0] switch
        {
            "listener" => $"listener {port} 127.0.0.1",
            "password_file" => $"password_file {folder}/passwd",
            "acl_file" => $"acl_file {folder}/acl",
            "persistence_location" => $"persistence_location {folder}/",
            _ => line,
        }).Append("user root");
        if (!shipped.Any(line => line.StartsWith("acl_file ", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException("deploy/mosquitto/mosquitto.conf has no acl_file: every client could write every topic.");
        }

        await File.WriteAllLinesAsync(Path.Combine(folder, "mosquitto.conf"), config);
        var broker = new MosquittoBroker(folder, port);
        await broker.RestartAsync();
        return broker;
    }

    private static async Task MosquittoPasswdAsync(string file, string username, string password)
    {
        using var passwd = System.Diagnostics.Process.Start("/usr/bin/mosquitto_passwd", ["-b", file, username, password])
            ?? throw new InvalidOperationException("mosquitto_passwd did not start");
        await passwd.WaitForExitAsync();
        if (passwd.ExitCode != 0)
        {
            throw new InvalidOperationException($"mosquitto_passwd exited {passwd.ExitCode}");
        }
    }

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
