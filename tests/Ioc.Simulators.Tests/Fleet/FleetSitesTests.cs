using Ioc.Simulators.Fleet;

namespace Ioc.Simulators.Tests.Fleet;

public sealed class FleetSitesTests
{
    private static readonly FleetDefinition Fleet = FleetGenerator.Generate(FleetSpec.HaiDuong, 42);

    [Fact]
    public void Names_HaiDuongFleet_EverySiteOnceWithVietnameseAndEnglishNames()
    {
        var names = FleetSites.Names(Fleet);

        Assert.Equal(Fleet.Sites.Select(s => s.Id).Order(StringComparer.Ordinal), names.Select(n => n.Slug).Order(StringComparer.Ordinal));
        Assert.All(names, n => Assert.False(string.IsNullOrWhiteSpace(n.NameVi) || string.IsNullOrWhiteSpace(n.NameEn), n.Slug));
        Assert.Equal(new SiteName("thanh-ha", "Thanh Hà", "Thanh Ha", "thanh-ha", "district"), names.Single(n => n.Slug == "thanh-ha"));
        Assert.Equal(new SiteName("hai-duong", "Thành phố Hải Dương", "Hai Duong City", "hai-duong", "district"), names.Single(n => n.Slug == "hai-duong"));
        Assert.Equal(new SiteName("dc-tinh", "Trung tâm dữ liệu tỉnh", "Provincial data center", null, "data-center"), names.Single(n => n.Slug == "dc-tinh"));
    }

    [Fact]
    public void Names_Communes_AreTheCommuneNameWithDiacriticsWithoutXa()
    {
        var communes = FleetSites.Names(Fleet).Where(n => n.Kind == "commune").ToList();
        var sites = Fleet.Sites.ToDictionary(s => s.Id);

        Assert.Equal(Fleet.Sites.Count(s => s.Kind == SiteKind.Commune), communes.Count);
        foreach (var commune in communes)
        {
            Assert.Equal("Xã " + commune.NameVi, sites[commune.Slug].Name);
            Assert.StartsWith(commune.District + "-" + Slug.From(commune.NameVi), commune.Slug, StringComparison.Ordinal);
            Assert.Equal(Ioc.Contract.Text.TextFold.StripDiacritics(commune.NameVi), commune.NameEn);
        }

        Assert.Contains(communes, c => c.NameVi != c.NameEn);
    }

    [Fact]
    public void ShippedSitesFile_IsWhatIocSimSitesWritesForTheDefaultFleet()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Ioc.sln")))
        {
            root = root.Parent;
        }

        var shipped = File.ReadAllText(Path.Combine(root!.FullName, "deploy", "sites", "hai-duong-sites.json"));

        Assert.Equal(FleetSites.Serialize(FleetSites.Names(Fleet)).ReplaceLineEndings(), shipped.TrimEnd().ReplaceLineEndings());
    }
}
