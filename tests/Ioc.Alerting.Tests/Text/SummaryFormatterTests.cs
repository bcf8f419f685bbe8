using Ioc.Alerting.Evaluation;
using Ioc.Alerting.Rules;
using Ioc.Alerting.Tests.Shared;
using Ioc.Alerting.Text;
using Ioc.Contract;
using Ioc.Contract.Alerts;
using Ioc.Contract.Text;

namespace Ioc.Alerting.Tests.Text;

public sealed class SummaryFormatterTests
{
    private static readonly TestSiteNames Sites = new();

    private static AlertRule Rule(LocalizedText? summary, string? metric = "temp_c") => new()
    {
        Id = "r",
        Name = new LocalizedText("Quá nóng", "Too hot"),
        Kind = RuleKind.Threshold,
        Severity = AlertSeverity.Major,
        Scope = RuleScope.All,
        Metric = metric,
        Comparison = new Comparison(ComparisonOperator.GreaterThan, 27.5, 26),
        Summary = summary,
        Window = TimeSpan.FromSeconds(63),
    };

    [Fact]
    public void Render_DeviceInACommune_NamesDeviceSiteAndDistrictInWordsInBothLanguages()
    {
        var subject = Subject.ForDevice(new DeviceAddress("thanh-ha-an-son", "wifi-ap", "TH-C03-AP2"), "thanh-ha");
        var template = new LocalizedText(
            "{type} {device} ở {site}, {district} ({place}): {value} {unit} (ngưỡng {threshold}, {window}, {rule}, {severity})",
            "{type} {device} at {site}, {district} ({place}): {value} {unit} (threshold {threshold}, {window}, {rule}, {severity})");

        var text = SummaryFormatter.Render(template, Rule(template), subject, 41.25, Sites);

        Assert.Equal("Điểm phát Wi-Fi TH-C03-AP2 ở An Sơn, Thanh Hà (Thanh Hà · An Sơn): 41,25 °C (ngưỡng > 27,5, 1 ph 3 giây, Quá nóng, Nghiêm trọng)", text.Vi);
        Assert.Equal("Wi-Fi access point TH-C03-AP2 at An Son, Thanh Ha (Thanh Ha · An Son): 41.25 °C (threshold > 27.5, 1 min 3 s, Too hot, Major)", text.En);
    }

    [Fact]
    public void Render_DefaultThresholdSummary_UsesTheSubjectInWords()
    {
        var subject = Subject.ForDevice(new DeviceAddress("thanh-ha-an-son", "env-sensor", "TH-ENV1"), "thanh-ha");

        var text = SummaryFormatter.Render(DefaultSummaries.Threshold, Rule(null), subject, 30, Sites);

        Assert.Equal("TH-ENV1 (Thanh Hà · An Sơn): temp_c = 30 °C (ngưỡng > 27,5)", text.Vi);
        Assert.Equal("TH-ENV1 (Thanh Ha · An Son): temp_c = 30 °C (threshold > 27.5)", text.En);
    }

    [Fact]
    public void Render_MetricWithoutUnit_LeavesNoDoubleSpace()
    {
        var subject = Subject.ForDevice(new DeviceAddress("thanh-ha", "wifi-ap", "TH-AP01"), "thanh-ha");

        var text = SummaryFormatter.Render(DefaultSummaries.Threshold, Rule(null, "clients"), subject, 151, Sites);

        Assert.Equal("TH-AP01 (Thanh Ha): clients = 151 (threshold > 27.5)", text.En);
    }

    [Fact]
    public void Render_UnregisteredSite_GuessesReadableNamesFromTheSlugs()
    {
        var subject = Subject.ForDevice(new DeviceAddress("tu-ky-ngoc-son", "switch", "TK-C07-SW"), "tu-ky");

        var text = SummaryFormatter.Render(new LocalizedText("{place} / {site} / {district}", "{place}"), Rule(null), subject, null, NoSiteNames.Instance);

        Assert.Equal("Tu Ky · Ngoc Son / Ngoc Son / Tu Ky", text.Vi);
    }

    [Fact]
    public void Render_ProvincialSiteAndDistrictGroup_NameTheirPlace()
    {
        var core = Subject.ForDevice(new DeviceAddress("core", "firewall", "CORE-FW-EDGE"), "tinh");
        var district = Subject.ForGroup(GroupLevel.District, "thanh-ha");
        var template = new LocalizedText("{subject} | {district}", "{subject} | {district}");

        Assert.Equal("CORE-FW-EDGE (Lõi mạng tỉnh) | cấp tỉnh", SummaryFormatter.Render(template, Rule(template), core, null, Sites).Vi);
        Assert.Equal("Thanh Ha | Thanh Ha", SummaryFormatter.Render(template, Rule(template), district, null, Sites).En);
    }

    [Theory]
    [InlineData(63, "1 ph 3 giây", "1 min 3 s")]
    [InlineData(300, "5 phút", "5 min")]
    [InlineData(45, "45 giây", "45 s")]
    [InlineData(7260, "2 giờ 1 ph", "2 h 1 min")]
    public void Duration_InWords_InBothLanguages(int seconds, string vi, string en)
    {
        Assert.Equal(vi, AlertWords.Duration(TimeSpan.FromSeconds(seconds), Language.Vi));
        Assert.Equal(en, AlertWords.Duration(TimeSpan.FromSeconds(seconds), Language.En));
    }
}
