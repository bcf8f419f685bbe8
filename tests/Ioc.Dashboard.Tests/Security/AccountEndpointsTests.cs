using Ioc.Dashboard.Security;
using Xunit;

namespace Ioc.Dashboard.Tests.Security;

public sealed class AccountEndpointsTests
{
    [Theory]
    [InlineData("/alerts?sev=critical", true)]
    [InlineData("/", true)]
    [InlineData("//evil.example/", false)]
    [InlineData("/\\evil.example", false)]
    [InlineData("https://evil.example/", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsLocal_ReturnUrl_OnlyAcceptsPathsOnThisHost(string? url, bool expected)
    {
        // Act / Assert
        Assert.Equal(expected, AccountEndpoints.IsLocal(url));
    }

    [Fact]
    public void RolesByPolicy_Viewer_HasNoActionPolicy()
    {
        // Assert
        Assert.DoesNotContain(Policies.RolesByPolicy, p => p.Value.Contains(Roles.Viewer));
        Assert.All(Policies.RolesByPolicy, p => Assert.Contains(Roles.Admin, p.Value));
    }
}
