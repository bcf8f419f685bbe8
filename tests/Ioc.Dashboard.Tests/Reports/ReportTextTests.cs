using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;

namespace Ioc.Dashboard.Tests.Reports;

/// <summary>The report's words (Resources/Reports/ReportText) exist in both languages for every key the report code and page ask for.</summary>
public sealed partial class ReportTextTests
{
    [Fact]
    public void Resx_EveryKeyUsedByTheReport_ExistsInBothLanguages()
    {
        // Arrange
        var root = FindDashboardRoot();
        var english = Keys(Path.Combine(root, "Resources", "Reports", "ReportText.resx"));
        var vietnamese = Keys(Path.Combine(root, "Resources", "Reports", "ReportText.vi.resx"));
        var sources = Directory.EnumerateFiles(Path.Combine(root, "Reports"), "*.cs").Select(File.ReadAllText)
            .Append(File.ReadAllText(Path.Combine(root, "Components", "Pages", "Reports.razor")));

        // Act
        var used = sources.SelectMany(s => UsedKey().Matches(s).Select(m => m.Groups[1].Value)).ToHashSet();

        // Assert
        Assert.Equal(english.Order(), vietnamese.Order());
        Assert.NotEmpty(used);
        Assert.Empty(used.Except(english));
    }

    private static HashSet<string> Keys(string path) =>
        [.. XDocument.Load(path).Root!.Elements("data").Select(e => (string)e.Attribute("name")!)];

    [GeneratedRegex("""(?:text|R)\["([A-Za-z_]+)"[\],]""")]
    private static partial Regex UsedKey();

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

        throw new InvalidOperationException("dashboard/Ioc.Dashboard not found above the test output");
    }
}
