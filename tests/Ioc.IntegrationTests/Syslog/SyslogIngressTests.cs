using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Ioc.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Ioc.IntegrationTests.Syslog;

/// <summary>
/// Real syslog senders (util-linux <c>logger</c>, <c>openssl s_client</c>, plain sockets bound to chosen loopback
/// addresses) → the collector's syslog receiver → the ingest pipeline → real InfluxDB 1.6.7, with the alert engine on the
/// shipped rules and a real Mosquitto for the collector's MQTT side.
/// </summary>
[Collection(InfluxCollection.Name)]
public sealed class SyslogIngressTests(InfluxFixture influx, ITestOutputHelper output) : IAsyncLifetime
{
    private const string EdgeFirewall = "dc-tinh/firewall/FW-EDGE-01";
    private readonly string _database = "syslog_" + Guid.NewGuid().ToString("N")[..8];
    private MosquittoBroker _broker = null!;
    private SyslogCollectorHost? _collector;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync()
    {
        if (_collector is not null)
        {
            await _collector.DisposeAsync();
        }

        await _broker.DisposeAsync();
    }

    private async Task<SyslogCollectorHost> StartAsync(Dictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?> { ["Ioc:Syslog:Senders:127.0.0.1"] = EdgeFirewall };
        foreach (var (key, value) in overrides ?? [])
        {
            settings[key] = value;
        }

        _collector = new SyslogCollectorHost(_broker.Port, influx.Server, _database, settings);
        await _collector.StartAsync();
        return _collector;
    }

    private Task<long> CountAsync(string where) => influx.Server.CountAsync(_database, $"SELECT COUNT(message) FROM \"event\" WHERE {where}");

    private static string[] Logger(string transport, int port, params string[] rest) =>
        ["--rfc5424", transport, "--server", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. rest];

    [Fact]
    public async Task Logger_Rfc5424OverUdpAndTcp_IsStoredAndRaisesTheShippedBruteForceRule()
    {
        var collector = await StartAsync();
        for (var i = 0; i < 3; i++)
        {
            await Tool.RunAsync("logger", Logger("--udp", collector.UdpPort, "--tag", "sshd", "--msgid", "AUTH", "--sd-id", "origin@32473", "--sd-param", "zone=\"dmz\"", $"Failed password for admin from 203.0.113.7 port {50000 + i} ssh2"));
        }

        await Tool.RunAsync("logger", Logger("--tcp", collector.TcpPort, "--tag", "sshd", "Failed password for root from 203.0.113.7 port 50010 ssh2"));
        await Tool.RunAsync("logger", Logger("--tcp", collector.TcpPort, "--octet-count", "--tag", "sshd", "Failed password for support from 203.0.113.7 port 50011 ssh2"));

        await Wait.UntilAsync(async () => await CountAsync("\"device\"='FW-EDGE-01' AND \"type\"='auth_failure'") == 5, TimeSpan.FromSeconds(15), "five auth_failure events stored");
        var rows = await influx.Server.QueryAsync(_database, "SELECT \"message\", \"src_ip\", \"user\", \"transport\", \"origin_32473.zone\", \"msg_id\", \"site\", \"device_type\", \"severity\" FROM \"event\" ORDER BY time");
        var values = rows.GetProperty("series")[0].GetProperty("values");
        Assert.Equal("Failed password for admin from 203.0.113.7 port 50000 ssh2", values[0][1].GetString());
        Assert.Equal("203.0.113.7", values[0][2].GetString());
        Assert.Equal("admin", values[0][3].GetString());
        Assert.Equal("udp", values[0][4].GetString());
        Assert.Equal("dmz", values[0][5].GetString());
        Assert.Equal("AUTH", values[0][6].GetString());
        Assert.Equal("dc-tinh", values[0][7].GetString());
        Assert.Equal("firewall", values[0][8].GetString());
        Assert.Equal("info", values[0][9].GetString());
        Assert.Equal("udp,udp,udp,tcp,tcp", string.Join(",", values.EnumerateArray().Select(v => v[4].GetString())));

        // The shipped "brute-force" rule: 5 auth_failure from one src_ip within 60 s.
        await Wait.UntilAsync(async () => (await collector.OpenAlertsAsync()).Any(a => a.RuleId == "brute-force"), TimeSpan.FromSeconds(15), "brute-force alert raised");
        var alert = (await collector.OpenAlertsAsync()).Single(a => a.RuleId == "brute-force");
        Assert.Contains("203.0.113.7", alert.Summary, StringComparison.Ordinal);
        Assert.Equal(5, collector.Syslog.Enqueued);
        Assert.Equal(0, collector.Syslog.Dropped);
    }

    [Fact]
    public async Task SpoofedHostname_DoesNotChangeTheDevice_AndAnUnknownSenderIsDeadLetteredWithItsAddress()
    {
        var collector = await StartAsync(new() { ["Ioc:Syslog:Senders:127.0.0.2"] = "thanh-ha/firewall/FW-TH-01" });
        var target = new IPEndPoint(IPAddress.Loopback, collector.UdpPort);
        using (var known = new UdpClient(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0)))
        {
            // Claims to be the edge firewall in every field a message has.
            await known.SendAsync(Encoding.UTF8.GetBytes($"<34>1 {DateTimeOffset.UtcNow:yyyy-MM-dd'T'HH:mm:ss.fff'Z'} FW-EDGE-01 FW-EDGE-01 - - [ioc device=\"FW-EDGE-01\" site=\"dc-tinh\"] devname=FW-EDGE-01 device=FW-EDGE-01 logid=0100026001 type=event subtype=system"), target);
        }

        using (var stranger = new UdpClient(new IPEndPoint(IPAddress.Parse("127.0.0.3"), 0)))
        {
            await stranger.SendAsync(Encoding.UTF8.GetBytes("<34>1 - FW-EDGE-01 - - - - I am the edge firewall"), target);
        }

        await Wait.UntilAsync(async () => await CountAsync("\"device\"='FW-TH-01'") == 1, TimeSpan.FromSeconds(15), "the spoofing message stored");
        await Wait.UntilAsync(async () => (await collector.DeadLetters.ListAsync(10, "unknown_sender", CancellationToken.None)).Count == 1, TimeSpan.FromSeconds(15), "the stranger dead-lettered");

        Assert.Equal(0, await CountAsync("\"device\"='FW-EDGE-01'"));
        var stored = await influx.Server.QueryAsync(_database, "SELECT \"site\", \"device_type\", \"reported_host\", \"log_device\", \"sender\" FROM \"event\"");
        var row = stored.GetProperty("series")[0].GetProperty("values")[0];
        Assert.Equal("thanh-ha", row[1].GetString());
        Assert.Equal("firewall", row[2].GetString());
        Assert.Equal("FW-EDGE-01", row[3].GetString());
        Assert.Equal("FW-EDGE-01", row[4].GetString());
        Assert.StartsWith("udp://127.0.0.2:", row[5].GetString(), StringComparison.Ordinal);

        var letter = (await collector.DeadLetters.ListAsync(10, "unknown_sender", CancellationToken.None)).Single();
        Assert.StartsWith("syslog/udp/127.0.0.3:", letter.Topic, StringComparison.Ordinal);
        Assert.Contains("127.0.0.3", letter.Detail, StringComparison.Ordinal);
        Assert.Contains("I am the edge firewall", Encoding.UTF8.GetString(letter.PayloadHead), StringComparison.Ordinal);
        var source = collector.Syslog.Sources.Single(s => s.Source == "127.0.0.3");
        Assert.Equal(1, source.UnknownSender);
        Assert.Equal(1, collector.Syslog.UnknownSender);
    }

    [Fact]
    public async Task OpensslTls_IsIdentifiedByClientCertificateElseByAddress()
    {
        var folder = Directory.CreateTempSubdirectory("ioc-syslog-tls-").FullName;
        try
        {
            var server = TestCertificate.Create(folder, "collector", server: true);
            var client = TestCertificate.Create(folder, "fw-th-01", server: false);
            var tlsPort = FreePort.Next();
            var fingerprint = "sha256-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(client.Certificate.RawData));
            var collector = await StartAsync(new()
            {
                ["Ioc:Syslog:Tls"] = $"127.0.0.1:{tlsPort}",
                ["Ioc:Syslog:TlsCertificate"] = server.CertificatePath,
                ["Ioc:Syslog:TlsKey"] = server.KeyPath,
                ["Ioc:Syslog:Senders:" + fingerprint] = "thanh-ha/firewall/FW-TH-01",
            });
            var forti = "<185>date=2026-12-01 time=08:30:00 devname=\"FG-TH\" devid=\"FGT60F\" logid=\"0101039426\" type=\"event\" subtype=\"vpn\" level=\"alert\" action=\"ssl-login-fail\" user=\"vpn\" remip=203.0.113.9 srcip=203.0.113.9 reason=\"sslvpn_login_unknown_user\" msg=\"SSL user failed to logged in\"";
            var framed = $"{Encoding.UTF8.GetByteCount(forti)} {forti}";

            await Tool.RunAsync("openssl", ["s_client", "-connect", $"127.0.0.1:{tlsPort}", "-quiet", "-no_ign_eof", "-cert", client.CertificatePath, "-key", client.KeyPath], framed);
            await Tool.RunAsync("openssl", ["s_client", "-connect", $"127.0.0.1:{tlsPort}", "-quiet", "-no_ign_eof"], "<13>1 - - - - - - no certificate, known by address\n");

            await Wait.UntilAsync(async () => await CountAsync("\"device\"='FW-TH-01' AND \"type\"='auth_failure'") == 1, TimeSpan.FromSeconds(15), "the certificate's device stored the SSL-VPN failure");
            await Wait.UntilAsync(async () => await CountAsync("\"device\"='FW-EDGE-01' AND \"type\"='syslog'") == 1, TimeSpan.FromSeconds(15), "the address's device stored the plain message");
            var row = (await influx.Server.QueryAsync(_database, "SELECT \"src_ip\", \"transport\", \"site\" FROM \"event\" WHERE \"device\"='FW-TH-01'")).GetProperty("series")[0].GetProperty("values")[0];
            Assert.Equal("203.0.113.9", row[1].GetString());
            Assert.Equal("tls", row[2].GetString());
            Assert.Equal("thanh-ha", row[3].GetString());
            Assert.Contains(collector.Syslog.Listeners, l => l.StartsWith("tls ", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task HundredThousandOverTcpFromLogger_AreAllStored()
    {
        const int Count = 100_000;
        var collector = await StartAsync(new() { ["Ioc:Collector:BatchSize"] = "5000" });
        var file = Path.Combine(collector.Folder, "lines.txt");
        await File.WriteAllLinesAsync(file, Enumerable.Range(0, Count).Select(i => $"seq={i} throughput test message"));

        var clock = Stopwatch.StartNew();
        await Tool.RunAsync("logger", Logger("--tcp", collector.TcpPort, "--tag", "sshd", "--file", file), timeout: TimeSpan.FromMinutes(2));
        var sent = clock.Elapsed;
        await Wait.UntilAsync(async () => await CountAsync("\"device\"='FW-EDGE-01'") == Count, TimeSpan.FromMinutes(3), $"{Count} events stored");
        var stored = clock.Elapsed;

        Assert.Equal(Count, await CountAsync("\"device\"='FW-EDGE-01'"));
        Assert.Equal(Count, collector.Syslog.Received);
        Assert.Equal(Count, collector.Syslog.Enqueued);
        Assert.Equal(0, collector.Syslog.Dropped + collector.Syslog.Rejected);
        output.WriteLine($"{Count} syslog messages over TCP (logger --rfc5424 --tcp --file): sent in {sent.TotalSeconds:F2} s, all stored in InfluxDB 1.6.7 after {stored.TotalSeconds:F2} s = {Count / stored.TotalSeconds:F0} msg/s end to end");
        var snapshot = collector.Snapshot;
        await File.AppendAllTextAsync(Path.Combine(Path.GetTempPath(), "ioc-syslog-throughput.txt"), $"{DateTimeOffset.UtcNow:O} {Count} msgs sent {sent.TotalSeconds:F2} s stored {stored.TotalSeconds:F2} s {Count / stored.TotalSeconds:F0} msg/s; write p50 {snapshot.WriteLatencyP50Ms} ms p99 {snapshot.WriteLatencyP99Ms} ms; load average {File.ReadAllText("/proc/loadavg").Trim()}\n");
    }

    [Fact]
    public async Task UdpWhileTheQueueIsFull_DropsAreCountedPerSourceAndEverythingEnqueuedIsStored()
    {
        var collector = await StartAsync(new()
        {
            ["Ioc:Collector:QueueCapacity"] = "100",
            ["Ioc:Collector:BatchSize"] = "100",
            ["Ioc:Collector:WriteConcurrency"] = "1",
            ["Ioc:Storage:InfluxDB:Timeout"] = "00:00:03",
            ["Ioc:Storage:InfluxDB:MaxAttempts"] = "1",
        });
        const int Sent = 3000;
        var target = new IPEndPoint(IPAddress.Loopback, collector.UdpPort);
        await influx.Server.FreezeAsync();
        try
        {
            using var sender = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            for (var i = 0; i < Sent; i++)
            {
                await sender.SendAsync(Encoding.UTF8.GetBytes($"<14>1 - - app - - - flood {i}"), target);
            }

            await Wait.UntilAsync(() => collector.Syslog.Received == Sent, TimeSpan.FromSeconds(15), "every datagram received");
        }
        finally
        {
            await influx.Server.ThawAsync();
        }

        var syslog = collector.Syslog;
        Assert.True(syslog.Dropped > 0, "the queue of 100 behind a frozen store must have overflowed");
        Assert.Equal(Sent, syslog.Enqueued + syslog.Dropped);
        var source = syslog.Sources.Single(s => s.Source == "127.0.0.1");
        Assert.Equal(syslog.Dropped, source.Dropped);
        Assert.Equal(EdgeFirewall, source.Device);
        Assert.Contains(collector.Snapshot.Reasons, r => r.Contains("syslog", StringComparison.Ordinal) && r.Contains("dropped", StringComparison.Ordinal));

        // What was taken in is stored (through the spool while the store was frozen): exactly.
        await Wait.UntilAsync(async () => await CountAsync("\"device\"='FW-EDGE-01'") == syslog.Enqueued, TimeSpan.FromSeconds(60), "every enqueued message stored");
        var json = JsonSerializer.Serialize(collector.Snapshot, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        Assert.Contains("\"dropped\":" + syslog.Dropped, json, StringComparison.Ordinal);
        output.WriteLine($"sent {Sent}, enqueued {syslog.Enqueued}, dropped {syslog.Dropped} (counted for 127.0.0.1)");
    }
}
