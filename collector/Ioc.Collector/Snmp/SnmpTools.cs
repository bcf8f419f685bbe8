using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Ioc.Collector.Snmp;

/// <summary>
/// Runs net-snmp's snmpget and snmpbulkwalk for one target. Version, community or v3 credentials are written to a
/// private <c>snmp.conf</c> (mode 600, in a folder of this process) read through <c>SNMPCONFPATH</c>, so no secret
/// appears in a process list. Numeric OIDs in and out (<c>-On</c>), values without types or enum names
/// (<c>-OQ -Oe -Ot</c>), no MIB loading (<c>-m ""</c>).
/// </summary>
public sealed class SnmpTools : IDisposable
{
    private readonly SnmpOptions _options;
    private readonly string _folder = Directory.CreateTempSubdirectory("ioc-snmp-").FullName;

    public SnmpTools(SnmpOptions options)
    {
        _options = options;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public Task<string> GetAsync(string name, SnmpTarget target, IEnumerable<string> oids, CancellationToken cancellationToken) =>
        RunAsync("snmpget", name, target, oids, cancellationToken);

    public Task<string> WalkAsync(string name, SnmpTarget target, string root, CancellationToken cancellationToken) =>
        RunAsync("snmpbulkwalk", name, target, [root], cancellationToken);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<string> RunAsync(string tool, string name, SnmpTarget target, IEnumerable<string> oids, CancellationToken cancellationToken)
    {
        var confPath = ConfigFolder(name, target);
        var start = new ProcessStartInfo(Path.Combine(_options.ToolsPath, tool))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["SNMPCONFPATH"] = confPath;
        start.Environment["MIBS"] = string.Empty;
        foreach (var argument in (string[])["-m", string.Empty, "-On", "-OQ", "-Oe", "-Ot", "-t", Math.Max(1, _options.Timeout.TotalSeconds / 2).ToString("0.#", CultureInfo.InvariantCulture), "-r", "1", target.Address])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var oid in oids)
        {
            start.ArgumentList.Add(oid);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout + TimeSpan.FromSeconds(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException($"{tool} to {target.Address} did not finish in {_options.Timeout}");
        }

        var output = await stdout;
        var errors = (await stderr).Trim();
        if (process.ExitCode != 0 && output.Length == 0)
        {
            throw new InvalidOperationException($"{tool} to {target.Address} exited {process.ExitCode}: {errors}");
        }

        return output;
    }

    private string ConfigFolder(string name, SnmpTarget target)
    {
        var folder = Path.Combine(_folder, new string(name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray()));
        var file = Path.Combine(folder, "snmp.conf");
        if (File.Exists(file))
        {
            return folder;
        }

        Directory.CreateDirectory(folder);
        var text = new StringBuilder();
        if (target.Version == "3")
        {
            text.AppendLine("defVersion 3");
            text.AppendLine("defSecurityLevel authPriv");
            text.AppendLine(CultureInfo.InvariantCulture, $"defSecurityName {target.User}");
            text.AppendLine(CultureInfo.InvariantCulture, $"defAuthType {target.AuthProtocol}");
            text.AppendLine(CultureInfo.InvariantCulture, $"defAuthPassphrase {target.AuthPassword}");
            text.AppendLine(CultureInfo.InvariantCulture, $"defPrivType {target.PrivProtocol}");
            text.AppendLine(CultureInfo.InvariantCulture, $"defPrivPassphrase {target.PrivPassword}");
        }
        else
        {
            text.AppendLine("defVersion 2c");
            text.AppendLine(CultureInfo.InvariantCulture, $"defCommunity {target.Community}");
        }

        // The folder is the process's own (mode 700); the file is made readable by the owner alone as well.
        File.WriteAllText(file, text.ToString());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return folder;
    }
}
