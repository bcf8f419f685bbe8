using System.Net;
using Ioc.Collector.Syslog;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Ioc.Collector.Tests.Syslog;

public class SyslogOptionsTests
{
    [Fact]
    public void ReadSenders_Ipv4Ipv6AndCertificateKeys_KeepTheirFullKey()
    {
        var fingerprint = "sha256-" + new string('a', 64);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ioc:Syslog:Senders:10.0.0.5"] = "dc-tinh/firewall/FW-EDGE-01",
            ["Ioc:Syslog:Senders:fd00::5"] = "dc-tinh/switch/SW-CORE-01",
            ["Ioc:Syslog:Senders:" + fingerprint] = "thanh-ha/firewall/FW-TH-01",
        }).Build();

        var map = SyslogOptions.ReadSenders(configuration);
        var senders = new SyslogSenders(Options.Create(new SyslogOptions { SenderMap = map }));

        Assert.Equal(3, map.Count);
        Assert.True(senders.TryResolve(IPAddress.Parse("::ffff:10.0.0.5"), null, out var fw));
        Assert.Equal("dc-tinh/firewall/FW-EDGE-01", fw.ToString());
        Assert.True(senders.TryResolve(IPAddress.Parse("fd00::5"), null, out var sw));
        Assert.Equal("SW-CORE-01", sw.DeviceId);
        Assert.True(senders.TryResolve(IPAddress.Parse("192.0.2.1"), fingerprint, out var byCertificate));
        Assert.Equal("FW-TH-01", byCertificate.DeviceId);
        Assert.False(senders.TryResolve(IPAddress.Parse("10.0.0.6"), null, out _));
    }

    [Fact]
    public void Validate_BadValues_NameEveryKey()
    {
        var options = new SyslogOptions
        {
            Udp = "localhost",
            Tcp = "127.0.0.1:0:1",
            Tls = "127.0.0.1:6514",
            MaxMessageBytes = 10,
            SenderMap = new(StringComparer.OrdinalIgnoreCase) { ["fw-edge"] = "dc-tinh/firewall/FW", ["10.0.0.5"] = "Dc Tinh/firewall" },
        };

        var errors = options.Validate().ToList();

        Assert.Contains(errors, e => e.Contains("Ioc:Syslog:Udp", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Ioc:Syslog:Tcp", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Ioc:Syslog:TlsCertificate", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Ioc:Syslog:MaxMessageBytes", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Ioc:Syslog:Senders:fw-edge: the key", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Ioc:Syslog:Senders:10.0.0.5 must be", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_Defaults_AreValidAndOff()
    {
        var options = new SyslogOptions();

        Assert.Empty(options.Validate());
        Assert.False(options.Enabled);
    }
}
