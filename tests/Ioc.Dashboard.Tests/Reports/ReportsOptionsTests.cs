using Ioc.Dashboard.Reports;
using Xunit;

namespace Ioc.Dashboard.Tests.Reports;

public sealed class ReportsOptionsTests
{
    [Fact]
    public void Validate_Defaults_NoError()
    {
        Assert.Empty(new ReportsOptions().Validate());
    }

    [Fact]
    public void Validate_MissingChromiumAndBadSchedule_EveryErrorNamesItsKey()
    {
        // Arrange
        var options = new ReportsOptions { ChromiumPath = "/nonexistent/chromium", SendDay = 31, SendHour = 24, MailCulture = "fr-FR", Recipients = ["not an address"] };

        // Act
        var errors = options.Validate().ToList();

        // Assert
        Assert.Contains(errors, e => e.StartsWith("Ioc:Reports:ChromiumPath '/nonexistent/chromium' does not exist", StringComparison.Ordinal) && e.Contains("apt-get install chromium", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Ioc:Reports:SendDay", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Ioc:Reports:SendHour", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Ioc:Reports:MailCulture", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Ioc:Reports:Recipients", StringComparison.Ordinal));
    }

    [Fact]
    public void ResolveChromium_Configured_ThatPath()
    {
        Assert.Equal("/usr/bin/chromium", new ReportsOptions { ChromiumPath = "/usr/bin/chromium" }.ResolveChromium());
        Assert.Null(new ReportsOptions { ChromiumPath = "/nonexistent/chromium" }.ResolveChromium());
    }
}
