using Ioc.Alerting.Text;
using Ioc.Contract.Text;

namespace Ioc.Alerting.Tests.Shared;

/// <summary>A few sites of the simulated fleet with their names, as the site registry holds them.</summary>
public sealed class TestSiteNames : ISiteNames
{
    private readonly Dictionary<string, SiteName> _sites = new(StringComparer.Ordinal)
    {
        ["thanh-ha"] = new(new LocalizedText("Thanh Hà", "Thanh Ha"), "thanh-ha"),
        ["thanh-ha-an-son"] = new(new LocalizedText("An Sơn", "An Son"), "thanh-ha"),
        ["dc-tinh"] = new(new LocalizedText("Trung tâm dữ liệu tỉnh", "Provincial data center"), null),
        ["core"] = new(new LocalizedText("Lõi mạng tỉnh", "Provincial core network"), null),
    };

    public SiteName? Find(string slug) => _sites.GetValueOrDefault(slug);

    public Task RefreshIfStaleAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
