using Ioc.Dashboard.Configuration;
using Ioc.Dashboard.Security;
using Ioc.Dashboard.Tests.Shared;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Ioc.Dashboard.Tests.Security;

public sealed class UserStoreTests : IDisposable
{
    private const string Password = "correct-horse-battery";
    private readonly TestDatabase _db = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero));
    private readonly UserStore _users;

    public UserStoreTests()
    {
        _users = new UserStore(_db.Operational.Users, Microsoft.Extensions.Options.Options.Create(new DashboardOptions { MaxFailedLogins = 3, AccountLockoutThreshold = 3, LockoutDuration = TimeSpan.FromMinutes(15) }), _time);
    }

    [Fact]
    public async Task VerifyAsync_RightPassword_Succeeds()
    {
        // Arrange
        await _users.CreateAsync("op1", "Operator One", Roles.Operator, Password, CancellationToken.None);

        // Act
        var result = await _users.VerifyAsync("op1", Password, CancellationToken.None);

        // Assert
        Assert.Equal(LoginOutcome.Success, result.Outcome);
        Assert.Equal(Roles.Operator, result.User!.Role);
    }

    [Fact]
    public async Task VerifyAsync_ThreeWrongPasswords_LocksEvenTheRightOneUntilLockoutEnds()
    {
        // Arrange
        await _users.CreateAsync("op1", "Operator One", Roles.Operator, Password, CancellationToken.None);

        // Act
        var first = await _users.VerifyAsync("op1", "wrong-1", CancellationToken.None);
        await _users.VerifyAsync("op1", "wrong-2", CancellationToken.None);
        var third = await _users.VerifyAsync("op1", "wrong-3", CancellationToken.None);
        var whileLocked = await _users.VerifyAsync("op1", Password, CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(16));
        var afterLockout = await _users.VerifyAsync("op1", Password, CancellationToken.None);

        // Assert
        Assert.Equal(LoginOutcome.InvalidCredentials, first.Outcome);
        Assert.Equal(LoginOutcome.LockedOut, third.Outcome);
        Assert.Equal(LoginOutcome.LockedOut, whileLocked.Outcome);
        Assert.Equal(LoginOutcome.Success, afterLockout.Outcome);
    }

    [Fact]
    public async Task VerifyAsync_UnknownUser_IsInvalidCredentials()
    {
        // Act
        var result = await _users.VerifyAsync("nobody", Password, CancellationToken.None);

        // Assert
        Assert.Equal(LoginOutcome.InvalidCredentials, result.Outcome);
        Assert.Null(result.User);
    }

    [Fact]
    public async Task VerifyAsync_FailuresBelowAccountThreshold_DoNotLockTheAccount()
    {
        // Arrange: the per-address limit (MaxFailedLogins) is LoginThrottle's; the account itself locks only at AccountLockoutThreshold.
        var users = new UserStore(_db.Operational.Users, Microsoft.Extensions.Options.Options.Create(new DashboardOptions { MaxFailedLogins = 2, AccountLockoutThreshold = 4 }), _time);
        await users.CreateAsync("op2", "Operator Two", Roles.Operator, Password, CancellationToken.None);

        // Act
        var outcomes = new List<LoginOutcome>();
        for (var i = 0; i < 4; i++)
        {
            outcomes.Add((await users.VerifyAsync("op2", "wrong-password", CancellationToken.None)).Outcome);
        }

        // Assert
        Assert.Equal([LoginOutcome.InvalidCredentials, LoginOutcome.InvalidCredentials, LoginOutcome.InvalidCredentials, LoginOutcome.LockedOut], outcomes);
    }

    [Fact]
    public async Task RotateSecurityStampAsync_ChangesStampOnly()
    {
        // Arrange
        await _users.CreateAsync("v2", "Viewer", Roles.Viewer, Password, CancellationToken.None);
        var before = await _users.GetSecurityStampAsync("v2", CancellationToken.None);

        // Act
        await _users.RotateSecurityStampAsync("v2", CancellationToken.None);

        // Assert
        Assert.NotEqual(before, await _users.GetSecurityStampAsync("v2", CancellationToken.None));
        Assert.Equal(LoginOutcome.Success, (await _users.VerifyAsync("v2", Password, CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task VerifyAsync_DisabledUser_IsRefused()
    {
        // Arrange
        await _users.CreateAsync("v1", "Viewer", Roles.Viewer, Password, CancellationToken.None);
        await _users.SetDisabledAsync("v1", true, CancellationToken.None);

        // Act
        var result = await _users.VerifyAsync("v1", Password, CancellationToken.None);

        // Assert
        Assert.Equal(LoginOutcome.Disabled, result.Outcome);
        Assert.Null(await _users.GetSecurityStampAsync("v1", CancellationToken.None));
    }

    [Fact]
    public async Task SetRoleAsync_ChangesRole_ChangesSecurityStamp()
    {
        // Arrange
        await _users.CreateAsync("v1", "Viewer", Roles.Viewer, Password, CancellationToken.None);
        var before = await _users.GetSecurityStampAsync("v1", CancellationToken.None);

        // Act
        await _users.SetRoleAsync("v1", Roles.Engineer, CancellationToken.None);

        // Assert
        Assert.NotEqual(before, await _users.GetSecurityStampAsync("v1", CancellationToken.None));
        Assert.Equal(Roles.Engineer, (await _users.FindAsync("v1", CancellationToken.None))!.Role);
    }

    [Theory]
    [InlineData("short", "operator")]
    [InlineData("long-enough-password", "superuser")]
    public async Task CreateAsync_BadPasswordOrRole_Throws(string password, string role)
    {
        // Act / Assert
        await Assert.ThrowsAsync<ArgumentException>(() => _users.CreateAsync("x1", "X", role, password, CancellationToken.None));
    }

    [Fact]
    public async Task CreateAsync_DuplicateNameAnyCase_Throws()
    {
        // Arrange
        await _users.CreateAsync("Admin2", "A", Roles.Admin, Password, CancellationToken.None);

        // Act / Assert
        await Assert.ThrowsAsync<ArgumentException>(() => _users.CreateAsync("admin2", "B", Roles.Viewer, Password, CancellationToken.None));
    }

    [Fact]
    public async Task StoredHash_IsPbkdf2NotPlainText()
    {
        // Arrange
        await _users.CreateAsync("op1", "Operator One", Roles.Operator, Password, CancellationToken.None);

        // Act
        await using var connection = await _db.Database.OpenAsync(CancellationToken.None);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT password_hash FROM dashboard_users WHERE user_name = 'op1'";
        var hash = (string)(await command.ExecuteScalarAsync())!;

        // Assert: Identity v3 format (0x01 marker, PBKDF2-HMAC-SHA512).
        Assert.DoesNotContain(Password, hash, StringComparison.Ordinal);
        Assert.Equal(0x01, Convert.FromBase64String(hash)[0]);
    }

    public void Dispose() => _db.Dispose();
}
