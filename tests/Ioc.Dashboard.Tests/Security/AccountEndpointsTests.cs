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
    [InlineData("/\t/evil.example", false)]
    [InlineData("/\n/evil.example", false)]
    [InlineData("/\r\n/evil.example", false)]
    [InlineData("/ /evil.example", false)]
    [InlineData(" //evil.example", false)]
    [InlineData("/a\\b", false)]
    [InlineData("/%2f%2fevil.example", false)]
    [InlineData("/%2F/evil.example", false)]
    [InlineData("/%5cevil.example", false)]
    [InlineData("/%252f%252fevil.example", false)]
    [InlineData("/%09/evil.example", false)]
    [InlineData("/%zz", false)]
    [InlineData("/%", false)]
    [InlineData("/\u0000", false)]
    [InlineData("/\u2028evil", false)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData("/login?returnUrl=%2Falerts", true)]
    [InlineData("/devices?q=GL-AP-1#top", true)]
    [InlineData("/caf%C3%A9", true)]
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
