using System.Diagnostics;
using System.Text;
using Ioc.IntegrationTests.Infrastructure;
using Ioc.IntegrationTests.Syslog;

namespace Ioc.IntegrationTests.Snmp;

/// <summary>
/// A real Debian snmpd (net-snmp 5.9) on a free loopback UDP port, with a temporary configuration: v2c community
/// <see cref="Community"/>, the v3 authPriv user <see cref="User"/>, and the simulators' UPS/PDU pass script
/// (simulators/snmp/ups-pdu-pass.sh) answering UPS-MIB and the APC PDU load from a state file the test rewrites.
/// IF-MIB is snmpd's own (this machine's interfaces).
/// </summary>
public sealed class SnmpAgent : IAsyncDisposable
{
    public const string Community = "ioc-test-community";
    public const string User = "iocuser";
    public const string AuthPassword = "auth-secret-1";
    public const string PrivPassword = "priv-secret-1";
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SnmpAgent(string folder, int port, Process process)
    {
        Folder = folder;
        Port = port;
        _process = process;
    }

    public string Folder { get; }

    public int Port { get; }

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

    /// <summary>Starts snmpd listening on each of <paramref name="addresses"/> at one port.</summary>
    public static async Task<SnmpAgent> StartAsync(params string[] addresses)
    {
        var folder = Directory.CreateTempSubdirectory("ioc-snmpd-").FullName;
        var port = FreePort.NextUdp();
        var script = Path.Combine(folder, "ups-pdu-pass.sh");
        File.Copy(Path.Combine(RepositoryRoot.Path, "simulators", "snmp", "ups-pdu-pass.sh"), script);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var config = Path.Combine(folder, "snmpd.conf");
        await File.WriteAllTextAsync(config, $"""
            agentAddress {string.Join(',', addresses.Select(a => $"udp:{a}:{port}"))}
            rocommunity {Community} 127.0.0.0/8
            createUser {User} SHA {AuthPassword} AES {PrivPassword}
            rouser {User} authpriv
            pass .1.3.6.1.2.1.33 {script}
            pass .1.3.6.1.4.1.318 {script}
            """);
        var start = new ProcessStartInfo("/usr/sbin/snmpd") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["SNMP_PERSISTENT_DIR"] = folder;
        start.Environment["MIBS"] = string.Empty;
        foreach (var argument in (string[])["-f", "-Lo", "-C", "-c", config, "-p", Path.Combine(folder, "pid")])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start /usr/sbin/snmpd (apt-get install snmpd)");
        var agent = new SnmpAgent(folder, port, process);
        process.OutputDataReceived += (_, e) => agent.Append(e.Data);
        process.ErrorDataReceived += (_, e) => agent.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await Wait.UntilAsync(
            async () =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"snmpd exited {process.ExitCode}: {agent.Output}");
                }

                try
                {
                    var answer = await Tool.RunAsync("snmpget", ["-m", string.Empty, "-On", "-OQ", "-v2c", "-c", Community, "-t", "0.5", "-r", "0", $"{addresses[0]}:{port}", "1.3.6.1.2.1.1.3.0"]);
                    return answer.Contains("1.3.6.1.2.1.1.3.0", StringComparison.Ordinal);
                }
                catch (InvalidOperationException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(15),
            "snmpd answering");
        return agent;
    }

    /// <summary>Rewrites what the simulated UPS and PDU report (shell assignments: <c>SOURCE=5 CHARGE=80</c>).</summary>
    public Task SetStateAsync(string assignments) => File.WriteAllTextAsync(Path.Combine(Folder, "state"), assignments + "\n");

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(Folder, recursive: true);
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
