using System.Globalization;
using System.Security.Claims;
using Ioc.Dashboard.Configuration;
using Ioc.Dashboard.Security;
using Ioc.Dashboard.Tests.Shared;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Ioc.Dashboard.Tests.Security;

public sealed class StampValidatorTests : IDisposable
{
    private const string Password = "correct-horse-battery";
    private readonly TestDatabase _db = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero));
    private readonly DashboardOptions _options = new() { SessionLifetime = TimeSpan.FromHours(1), SessionMaxAge = TimeSpan.FromHours(4) };
    private readonly UserStore _users;

    public StampValidatorTests()
    {
        _users = new UserStore(_db.Operational.Users, Microsoft.Extensions.Options.Options.Create(_options), _time);
    }

    [Fact]
    public async Task IsCurrentAsync_FreshLogin_IsTrue()
    {
        // Arrange
        var principal = await LoginAsync("op1");

        // Act / Assert
        Assert.True(await StampValidator.IsCurrentAsync(principal, _users, _options, _time, CancellationToken.None));
    }

    [Fact]
    public async Task IsCurrentAsync_PastMaxAge_IsFalseHoweverActive()
    {
        // Arrange
        var principal = await LoginAsync("op1");

        // Act
        _time.Advance(TimeSpan.FromHours(4) - TimeSpan.FromSeconds(1));
        var justBefore = await StampValidator.IsCurrentAsync(principal, _users, _options, _time, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(2));
        var after = await StampValidator.IsCurrentAsync(principal, _users, _options, _time, CancellationToken.None);

        // Assert
        Assert.True(justBefore);
        Assert.False(after);
    }

    public static TheoryData<string> Changes() => ["logout", "password", "role", "disable"];

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task IsCurrentAsync_AfterLogoutOrAccountChange_IsFalse(string change)
    {
        // Arrange
        var principal = await LoginAsync("op1");

        // Act
        await (change switch
        {
            "logout" => _users.RotateSecurityStampAsync("op1", CancellationToken.None),
            "password" => _users.SetPasswordAsync("op1", "another-long-password", CancellationToken.None),
            "role" => _users.SetRoleAsync("op1", Roles.Viewer, CancellationToken.None),
            _ => _users.SetDisabledAsync("op1", true, CancellationToken.None),
        });

        // Assert
        Assert.False(await StampValidator.IsCurrentAsync(principal, _users, _options, _time, CancellationToken.None));
    }

    [Fact]
    public async Task IsCurrentAsync_CookieWithoutLoginTime_IsFalse()
    {
        // Arrange: a cookie issued before this version (no login time) is not trusted.
        await _users.CreateAsync("op1", "Op", Roles.Operator, Password, CancellationToken.None);
        var stamp = await _users.GetSecurityStampAsync("op1", CancellationToken.None);
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "op1"), new Claim(AccountEndpoints.StampClaim, stamp!)], "test"));

        // Act / Assert
        Assert.False(await StampValidator.IsCurrentAsync(principal, _users, _options, _time, CancellationToken.None));
    }

    public void Dispose() => _db.Dispose();

    private async Task<ClaimsPrincipal> LoginAsync(string name)
    {
        await _users.CreateAsync(name, name, Roles.Operator, Password, CancellationToken.None);
        var stamp = await _users.GetSecurityStampAsync(name, CancellationToken.None);
        return new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, name),
                new Claim(AccountEndpoints.StampClaim, stamp!),
                new Claim(AccountEndpoints.LoginAtClaim, _time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
            ],
            "test"));
    }
}
