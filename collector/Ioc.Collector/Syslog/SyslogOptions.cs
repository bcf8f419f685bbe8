using System.Net;
using System.Security.Cryptography.X509Certificates;
using Ioc.Contract;
using Microsoft.Extensions.Configuration;

namespace Ioc.Collector.Syslog;

/// <summary>
/// Section <c>Ioc:Syslog</c>: the collector's syslog receiver (docs/devices.md). Each listener is an endpoint such as
/// <c>127.0.0.1:5514</c> or <c>[::]:6514</c> (port 0: the system chooses; /healthz lists it); empty turns it off. <c>Ioc:Syslog:Senders:{address}</c> =
/// <c>{site}/{deviceType}/{deviceId}</c> says which registered device a source address (or, over TLS, a client
/// certificate: <c>sha256-{fingerprint}</c>) is; nothing else decides it.
/// </summary>
public sealed class SyslogOptions
{
    public const string SectionName = "Ioc:Syslog";
    public const string SendersSection = SectionName + ":Senders";
    public const string CertificatePrefix = "sha256-";

    /// <summary>UDP listen endpoint (RFC 5426); empty: off.</summary>
    public string? Udp { get; set; }

    /// <summary>TCP listen endpoint (RFC 6587, octet-counting and LF framing); empty: off.</summary>
    public string? Tcp { get; set; }

    /// <summary>TLS listen endpoint (RFC 5425); empty: off. Needs <see cref="TlsCertificate"/> and <see cref="TlsKey"/>.</summary>
    public string? Tls { get; set; }

    /// <summary>PEM file of the TLS listener's certificate (with its chain).</summary>
    public string? TlsCertificate { get; set; }

    /// <summary>PEM file of its private key.</summary>
    public string? TlsKey { get; set; }

    /// <summary>Refuse TLS clients without a certificate (mutual TLS). Off: a client without one is identified by its address.</summary>
    public bool RequireClientCertificate { get; set; }

    /// <summary>Longest message accepted (a UDP datagram, a TCP/TLS frame); longer ones are dead-lettered <c>syslog_too_long</c>.</summary>
    public int MaxMessageBytes { get; set; } = 16 * 1024;

    /// <summary>TCP and TLS connections held at once; more are closed at accept (and counted).</summary>
    public int MaxConnections { get; set; } = 1000;

    /// <summary>Kernel receive buffer of the UDP socket: room for a burst while the receiver is busy.</summary>
    public int UdpReceiveBufferBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Dead letters kept per source and second (unknown senders, malformed messages); the rest are counted only.</summary>
    public int DeadLettersPerSourcePerSecond { get; set; } = 5;

    /// <summary>Sources whose counters are kept apart on /healthz; beyond it they are summed under <c>other</c>.</summary>
    public int MaxTrackedSources { get; set; } = 10_000;

    /// <summary>Read from <c>Ioc:Syslog:Senders</c> by <see cref="ReadSenders"/> (keys may hold ':', as IPv6 addresses do).</summary>
    public Dictionary<string, string> SenderMap { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public bool Enabled => !string.IsNullOrWhiteSpace(Udp) || !string.IsNullOrWhiteSpace(Tcp) || !string.IsNullOrWhiteSpace(Tls);

    /// <summary>Every <c>Ioc:Syslog:Senders:{key}</c> with its full key (the configuration's ':' splits an IPv6 address).</summary>
    public static Dictionary<string, string> ReadSenders(IConfiguration configuration)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var prefix = SendersSection + ":";
        foreach (var (key, value) in configuration.GetSection(SendersSection).AsEnumerable())
        {
            if (value is not null && key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                map[key[prefix.Length..]] = value;
            }
        }

        return map;
    }

    public IEnumerable<string> Validate()
    {
        foreach (var (name, value) in new[] { ("Udp", Udp), ("Tcp", Tcp), ("Tls", Tls) })
        {
            if (!string.IsNullOrWhiteSpace(value) && !IPEndPoint.TryParse(value, out _))
            {
                yield return $"{SectionName}:{name} must be an address and port such as 127.0.0.1:5514 or [::]:6514, or empty to turn it off (was '{value}').";
            }
        }

        if (!string.IsNullOrWhiteSpace(Tls))
        {
            if (string.IsNullOrWhiteSpace(TlsCertificate) || string.IsNullOrWhiteSpace(TlsKey))
            {
                yield return $"{SectionName}:Tls is set: {SectionName}:TlsCertificate and {SectionName}:TlsKey must name the PEM certificate and key files.";
            }
            else if (!File.Exists(TlsCertificate) || !File.Exists(TlsKey))
            {
                yield return $"{SectionName}:TlsCertificate '{TlsCertificate}' or {SectionName}:TlsKey '{TlsKey}' does not exist.";
            }
        }

        if (MaxMessageBytes is < 480 or > 1024 * 1024)
        {
            yield return $"{SectionName}:MaxMessageBytes must be between 480 (RFC 5424's minimum) and 1048576 (was {MaxMessageBytes}).";
        }

        if (MaxConnections < 1 || UdpReceiveBufferBytes < 0 || DeadLettersPerSourcePerSecond < 0 || MaxTrackedSources < 1)
        {
            yield return $"{SectionName}:MaxConnections and MaxTrackedSources must be positive, UdpReceiveBufferBytes and DeadLettersPerSourcePerSecond not negative.";
        }

        foreach (var (key, value) in SenderMap)
        {
            if (!IsSenderKey(key))
            {
                yield return $"{SendersSection}:{key}: the key must be an IP address (10.0.0.5, fd00::5) or {CertificatePrefix}<SHA-256 fingerprint of the client certificate, 64 hex digits>.";
            }

            if (!TryParseDevice(value, out _))
            {
                yield return $"{SendersSection}:{key} must be {{site}}/{{deviceType}}/{{deviceId}} (lowercase slugs, device id [A-Za-z0-9_.-]), e.g. dc-tinh/firewall/FW-EDGE-01 (was '{value}').";
            }
        }
    }

    public static bool IsSenderKey(string key) =>
        IPAddress.TryParse(key, out _)
        || (key.StartsWith(CertificatePrefix, StringComparison.OrdinalIgnoreCase) && key.Length == CertificatePrefix.Length + 64
            && key.AsSpan(CertificatePrefix.Length).ContainsAnyExcept("0123456789abcdefABCDEF") == false);

    public static bool TryParseDevice(string value, out DeviceAddress device)
    {
        device = default;
        var parts = value.Split('/');
        if (parts.Length != 3 || !Names.IsSlug(parts[0]) || !Names.IsSlug(parts[1]) || !Names.IsDeviceId(parts[2]))
        {
            return false;
        }

        device = new DeviceAddress(parts[0], parts[1], parts[2]);
        return true;
    }

    /// <summary>The mapping key of a client certificate: <c>sha256-</c> and the lowercase hex SHA-256 of its DER bytes.</summary>
    public static string CertificateKey(X509Certificate certificate) =>
        CertificatePrefix + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(certificate.GetRawCertData()));
}
