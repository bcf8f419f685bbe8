using System.Net;
using Ioc.Collector.Syslog;
using Ioc.Contract;

namespace Ioc.Collector.Snmp;

/// <summary>
/// Section <c>Ioc:Snmp</c>: devices polled over SNMP with Debian's net-snmp tools (docs/devices.md), and the trap
/// receiver (snmptrapd, run by the collector). Credentials go to the tools in a private configuration file
/// (<c>SNMPCONFPATH</c>), never on a command line where <c>ps</c> would show them.
/// </summary>
public sealed class SnmpOptions
{
    public const string SectionName = "Ioc:Snmp";

    /// <summary>Devices to poll, by any name: <c>Ioc:Snmp:Targets:{name}:…</c>.</summary>
    public Dictionary<string, SnmpTarget> Targets { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Default time between polls of one device.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one tool run (snmpget, snmpbulkwalk) may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Trap listen endpoint for snmptrapd (<c>127.0.0.1:162</c>); empty: no trap receiver.</summary>
    public string? Traps { get; set; }

    /// <summary>SNMPv2c community accepted on traps; empty: none.</summary>
    public string? TrapCommunity { get; set; }

    /// <summary>SNMPv3 users accepted on traps (authPriv), each with the sending engine's id.</summary>
    public List<SnmpTrapUser> TrapUsers { get; set; } = [];

    /// <summary>Where the net-snmp programs are.</summary>
    public string ToolsPath { get; set; } = "/usr/bin";

    public string SnmptrapdPath { get; set; } = "/usr/sbin/snmptrapd";

    public IEnumerable<string> Validate()
    {
        if (PollInterval < TimeSpan.FromSeconds(1) || Timeout < TimeSpan.FromMilliseconds(100))
        {
            yield return $"{SectionName}:PollInterval must be at least 00:00:01 and Timeout at least 00:00:00.1.";
        }

        if (!string.IsNullOrWhiteSpace(Traps) && !IPEndPoint.TryParse(Traps, out _))
        {
            yield return $"{SectionName}:Traps must be an address and port such as 127.0.0.1:162 (was '{Traps}').";
        }

        foreach (var (name, target) in Targets)
        {
            foreach (var error in target.Validate($"{SectionName}:Targets:{name}"))
            {
                yield return error;
            }
        }

        for (var i = 0; i < TrapUsers.Count; i++)
        {
            var user = TrapUsers[i];
            if (string.IsNullOrWhiteSpace(user.User) || string.IsNullOrWhiteSpace(user.EngineId) || (user.AuthPassword?.Length ?? 0) < 8 || (user.PrivPassword?.Length ?? 0) < 8)
            {
                yield return $"{SectionName}:TrapUsers:{i} needs User, EngineId (0x…) and AuthPassword and PrivPassword of at least 8 characters.";
            }
        }
    }
}

/// <summary>One polled device.</summary>
public sealed class SnmpTarget
{
    /// <summary><c>{site}/{deviceType}/{deviceId}</c>: whose telemetry the answers are; traps from <see cref="Address"/>'s host are its events.</summary>
    public string Device { get; set; } = string.Empty;

    /// <summary>Agent address and port, <c>10.0.0.20:161</c>.</summary>
    public string Address { get; set; } = string.Empty;

    /// <summary><c>2c</c> or <c>3</c> (authPriv).</summary>
    public string Version { get; set; } = "2c";

    public string? Community { get; set; }

    public string? User { get; set; }

    /// <summary>SHA, SHA-256, SHA-512 or MD5.</summary>
    public string AuthProtocol { get; set; } = "SHA";

    public string? AuthPassword { get; set; }

    /// <summary>AES or DES.</summary>
    public string PrivProtocol { get; set; } = "AES";

    public string? PrivPassword { get; set; }

    /// <summary>What to read: <c>ups</c> (UPS-MIB), <c>pdu</c> (APC rPDU load), <c>interfaces</c> (IF-MIB).</summary>
    public List<string> Profiles { get; set; } = [];

    /// <summary>Tables or subtrees to walk generically: every numeric value becomes the metric <c>oid.{oid}</c>.</summary>
    public List<string> Walk { get; set; } = [];

    /// <summary>This device's poll interval; unset: <see cref="SnmpOptions.PollInterval"/>.</summary>
    public TimeSpan? Interval { get; set; }

    public DeviceAddress DeviceAddress => SyslogOptions.TryParseDevice(Device, out var device) ? device : default;

    public IPEndPoint? Endpoint => IPEndPoint.TryParse(Address, out var endpoint) ? endpoint : null;

    public IEnumerable<string> Validate(string key)
    {
        if (!SyslogOptions.TryParseDevice(Device, out _))
        {
            yield return $"{key}:Device must be {{site}}/{{deviceType}}/{{deviceId}} (was '{Device}').";
        }

        if (Endpoint is not { Port: > 0 })
        {
            yield return $"{key}:Address must be an address and port such as 10.0.0.20:161 (was '{Address}').";
        }

        if (Version == "2c" && string.IsNullOrEmpty(Community))
        {
            yield return $"{key}:Community is required with Version 2c.";
        }
        else if (Version == "3" && (string.IsNullOrEmpty(User) || (AuthPassword?.Length ?? 0) < 8 || (PrivPassword?.Length ?? 0) < 8))
        {
            yield return $"{key}: Version 3 needs User, AuthPassword and PrivPassword (authPriv, at least 8 characters each).";
        }
        else if (Version is not ("2c" or "3"))
        {
            yield return $"{key}:Version must be 2c or 3 (was '{Version}').";
        }

        foreach (var profile in Profiles)
        {
            if (!SnmpProfiles.Known.Contains(profile))
            {
                yield return $"{key}:Profiles has '{profile}'; known: {string.Join(", ", SnmpProfiles.Known)}.";
            }
        }

        foreach (var oid in Walk)
        {
            if (!SnmpProfiles.IsNumericOid(oid))
            {
                yield return $"{key}:Walk has '{oid}', which is not a numeric OID such as 1.3.6.1.4.1.318.1.1.12 (Debian ships no MIB files).";
            }
        }

        if (Profiles.Count == 0 && Walk.Count == 0)
        {
            yield return $"{key}: give Profiles or Walk (nothing to poll).";
        }
    }
}

/// <summary>An SNMPv3 user whose traps are accepted.</summary>
public sealed class SnmpTrapUser
{
    public string User { get; set; } = string.Empty;

    /// <summary>The sender's engine id, <c>0x8000000001020304</c>.</summary>
    public string EngineId { get; set; } = string.Empty;

    public string AuthProtocol { get; set; } = "SHA";

    public string? AuthPassword { get; set; }

    public string PrivProtocol { get; set; } = "AES";

    public string? PrivPassword { get; set; }
}
