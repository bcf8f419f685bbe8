using Ioc.Alerting.Tests.Shared;
using Ioc.Contract;
using Ioc.Contract.Text;
using Ioc.Storage.Operational;
using Microsoft.Extensions.DependencyInjection;

namespace Ioc.Alerting.Tests.Text;

/// <summary>The default rules through the real engine and store, with sites registered: texts in both languages, in words.</summary>
public sealed class AlertTextEngineTests
{
    private static readonly Lazy<string> DefaultRules = new(() => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Rules", "default-rules.json")));

    private static async Task RegisterAsync(AlertingHarness h) =>
        await h.Services.GetRequiredService<ISiteStore>().UpsertAsync(
            [
                new SiteRecord("thanh-ha", "Thanh Hà", "Thanh Ha", "thanh-ha", SiteKinds.District),
                new SiteRecord("thanh-ha-an-son", "An Sơn", "An Son", "thanh-ha", SiteKinds.Commune),
            ],
            h.Now,
            CancellationToken.None);

    [Fact]
    public async Task BruteForce_OnADistrictFirewall_NamesDeviceAndDistrictInBothLanguages()
    {
        await using var h = await AlertingHarness.CreateAsync(DefaultRules.Value);
        await RegisterAsync(h);
        var firewall = new DeviceAddress("thanh-ha", "firewall", "TH-FW01");

        for (var i = 0; i < 5; i++)
        {
            await h.SendAsync(TestMessages.Event(firewall, "auth_failure", $$"""{"src_ip": "203.0.113.77", "user": "admin", "service": "ssh", "src_port": {{40000 + i}}}""", h.Now));
            h.Time.Advance(TimeSpan.FromSeconds(2));
        }

        var alert = Assert.Single(await h.OpenAsync());
        Assert.Equal(("thanh-ha", "thanh-ha", "TH-FW01"), (alert.Site, alert.District, alert.DeviceId));
        Assert.Equal(
            new LocalizedText(
                "Dò mật khẩu từ 203.0.113.77 vào tường lửa TH-FW01 (Thanh Hà): 5 lần đăng nhập thất bại trong 1 phút",
                "Brute force from 203.0.113.77 against firewall TH-FW01 (Thanh Ha): 5 failed logins within 1 min"),
            alert.Texts!.Summary);
        Assert.Equal(alert.Texts.Summary.Vi, alert.Summary);
        Assert.Equal("Dò mật khẩu đăng nhập", alert.RuleName);
    }

    [Fact]
    public async Task DeviceOffline_InACommune_NamesCommuneAndDistrict()
    {
        await using var h = await AlertingHarness.CreateAsync(DefaultRules.Value);
        await RegisterAsync(h);
        var ap = new DeviceAddress("thanh-ha-an-son", "wifi-ap", "TH-C03-AP2");

        await h.SendAsync(TestMessages.Status(ap, online: true, h.Now));
        await h.SendAsync(TestMessages.Status(ap, online: false, h.Now));

        var alert = Assert.Single(await h.OpenAsync());
        Assert.Equal("Điểm phát Wi-Fi TH-C03-AP2 (Thanh Hà · An Sơn) mất kết nối", alert.Texts!.Summary.Vi);
        Assert.Equal("Wi-Fi access point TH-C03-AP2 (Thanh Ha · An Son) is offline", alert.Texts.Summary.En);
        Assert.Equal(new LocalizedText("Thiết bị mất kết nối", "Device offline"), alert.Texts.RuleName);
    }
}
