using Ioc.Dashboard.Configuration;
using Xunit;

namespace Ioc.Dashboard.Tests.Configuration;

public sealed class DashboardOptionsTests
{
    [Fact]
    public void Validate_Defaults_HaveNoError()
    {
        // Act / Assert
        Assert.Empty(new DashboardOptions().Validate());
    }

    [Fact]
    public void Validate_BadSecurityKeys_NamesEveryKey()
    {
        // Arrange
        var options = new DashboardOptions
        {
            SessionLifetime = TimeSpan.FromHours(8),
            SessionMaxAge = TimeSpan.FromHours(1),
            CircuitRevalidationInterval = TimeSpan.Zero,
            MaxFailedLogins = 5,
            AccountLockoutThreshold = 3,
            LoginRateLimit = 0,
            LoginRateWindow = TimeSpan.Zero,
        };

        // Act
        var errors = string.Join("\n", options.Validate());

        // Assert
        foreach (var key in new[] { "SessionMaxAge", "CircuitRevalidationInterval", "AccountLockoutThreshold", "LoginRateLimit", "LoginRateWindow" })
        {
            Assert.Contains($"Ioc:Dashboard:{key}", errors, StringComparison.Ordinal);
        }
    }
}
