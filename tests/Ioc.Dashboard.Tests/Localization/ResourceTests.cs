using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;

namespace Ioc.Dashboard.Tests.Localization;

/// <summary>Every key a component asks for exists in English and Vietnamese, and both languages have the same keys.</summary>
public sealed partial class ResourceTests
{
    private static readonly string DashboardRoot = FindDashboardRoot();

    public static TheoryData<string> Components()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(DashboardRoot, "Components"), "*.razor", SearchOption.AllDirectories))
        {
            if (File.ReadAllText(file).Contains("IStringLocalizer<", StringComparison.Ordinal))
            {
                data.Add(Path.GetRelativePath(Path.Combine(DashboardRoot, "Components"), file));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Components))]
    public void Resx_EveryLiteralKeyOfComponent_ExistsInBothLanguages(string component)
    {
        // Arrange
        var source = File.ReadAllText(Path.Combine(DashboardRoot, "Components", component));
        var baseName = Path.Combine(DashboardRoot, "Resources", "Components", Path.ChangeExtension(component, null));
        var english = Keys(baseName + ".resx");
        var vietnamese = Keys(baseName + ".vi.resx");

        // Act
        var used = LiteralKey().Matches(source).Select(m => m.Groups[1].Value).ToHashSet();

        // Assert
        Assert.Equal(english.Order(), vietnamese.Order());
        Assert.Empty(used.Except(english));
    }

    private static HashSet<string> Keys(string path) =>
        [.. XDocument.Load(path).Root!.Elements("data").Select(e => (string)e.Attribute("name")!)];

    [GeneratedRegex("""L\["([A-Za-z_]+)"\]""")]
    private static partial Regex LiteralKey();

    private static string FindDashboardRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "dashboard", "Ioc.Dashboard");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("dashboard/Ioc.Dashboard not found above the test binaries.");
    }
}
