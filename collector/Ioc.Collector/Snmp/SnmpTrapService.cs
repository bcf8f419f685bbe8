using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Ioc.Collector.Diagnostics;
using Ioc.Collector.Pipeline;
using Ioc.Collector.Syslog;
using Ioc.Contract;
using Ioc.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ioc.Collector.Snmp;

/// <summary>
/// The trap receiver: runs Debian's snmptrapd in the foreground as a child of the collector (v2c community and v3
/// authPriv users from <c>Ioc:Snmp</c>, written to a private config file), reads each trap it prints, and turns it into
/// an event of the device whose polled address sent it, through the ingest queue like any event. A trap from an address
/// that is no polled device is not thrown away: it is dead-lettered <c>unknown_sender</c> with its source and trap OID.
/// snmptrapd is restarted if it exits.
/// </summary>
public sealed partial class SnmpTrapService(
    IngestQueue ingest,
    SnmpStatus status,
    SyslogDeadLetters deadLetters,
    CollectorMetrics collectorMetrics,
    IOptions<SnmpOptions> options,
    TimeProvider time,
    ILogger<SnmpTrapService> logger) : BackgroundService
{
    private readonly SnmpOptions _options = options.Value;
    private Dictionary<IPAddress, DeviceAddress> _devices = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (string.IsNullOrWhiteSpace(_options.Traps))
        {
            return;
        }

        _devices = _options.Targets.Values
            .Where(t => t.Endpoint is not null)
            .GroupBy(t => t.Endpoint!.Address)
            .ToDictionary(g => g.Key, g => g.First().DeviceAddress);
        var folder = Directory.CreateTempSubdirectory("ioc-snmptrapd-").FullName;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var config = Path.Combine(folder, "snmptrapd.conf");
        await File.WriteAllTextAsync(config, Config(), stoppingToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        status.TrapListener = "udp " + _options.Traps;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await RunOnceAsync(config, folder, stoppingToken);
                if (!stoppingToken.IsCancellationRequested)
                {
                    await Task.Delay(TimeSpan.FromSeconds(2), time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private string Config()
    {
        var text = new StringBuilder();
        if (!string.IsNullOrEmpty(_options.TrapCommunity))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"authCommunity log {_options.TrapCommunity}");
        }

        foreach (var user in _options.TrapUsers)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"createUser -e {user.EngineId} {user.User} {user.AuthProtocol} {user.AuthPassword} {user.PrivProtocol} {user.PrivPassword}");
            text.AppendLine(CultureInfo.InvariantCulture, $"authUser log {user.User} authpriv");
        }

        text.AppendLine("disableAuthorization no");
        return text.ToString();
    }

    private async Task RunOnceAsync(string config, string folder, CancellationToken stoppingToken)
    {
        var endpoint = IPEndPoint.Parse(_options.Traps!);
        var start = new ProcessStartInfo(_options.SnmptrapdPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["MIBS"] = string.Empty;
        start.Environment["SNMPCONFPATH"] = folder;
        var listen = endpoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"udp6:[{endpoint.Address}]:{endpoint.Port}" : $"udp:{endpoint}";
        foreach (var argument in (string[])["-f", "-Lo", "-n", "-m", string.Empty, "-On", "-OQ", "-Oe", "-Ot", "-C", "-c", config, "-p", Path.Combine(folder, "pid"), "-F", "TRAP %b\\t%V\\t%v\\n", listen])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        status.TrapReceiverRunning = true;
        Log.Started(logger, listen, process.Id);
        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(stoppingToken) is { } line)
            {
                await HandleAsync(line, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            status.TrapReceiverRunning = false;
            if (!process.HasExited)
            {
                process.Kill();
            }

            await process.WaitForExitAsync(CancellationToken.None);
        }

        if (!stoppingToken.IsCancellationRequested)
        {
            Log.Exited(logger, process.ExitCode, (await errors).Trim());
        }
    }

    private async Task HandleAsync(string line, CancellationToken stoppingToken)
    {
        if (SnmpTrap.Parse(line) is not { } trap)
        {
            return;
        }

        var now = time.GetUtcNow();
        var source = SyslogSenders.Normalize(trap.Source);
        if (!_devices.TryGetValue(source, out var device))
        {
            status.Trap(known: false);
            deadLetters.Offer(source, DeadLetter.Create(now, $"snmp-trap/udp/{source}:{trap.Port}", SyslogRejectReason.UnknownSender.Name(), $"trap {trap.TrapOid} from {source}, which is no Ioc:Snmp:Targets device", Encoding.UTF8.GetBytes(line)));
            return;
        }

        status.Trap(known: true);
        collectorMetrics.MessageReceived();
        await ingest.Writer.WriteAsync(InboundMessage.Local(trap.TopicFor(device), trap.ToEventPayload(now), now), stoppingToken);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "SNMP trap receiver: snmptrapd listening on {Listen} (pid {Pid})")]
        public static partial void Started(ILogger logger, string listen, int pid);

        [LoggerMessage(Level = LogLevel.Warning, Message = "snmptrapd exited with {Code}: {Errors}; restarting")]
        public static partial void Exited(ILogger logger, int code, string errors);
    }
}
