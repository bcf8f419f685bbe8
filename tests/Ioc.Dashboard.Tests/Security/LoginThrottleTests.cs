using Ioc.Dashboard.Configuration;
using Ioc.Dashboard.Security;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Ioc.Dashboard.Tests.Security;

public sealed class LoginThrottleTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero));
    private readonly LoginThrottle _throttle;

    public LoginThrottleTests()
    {
        _throttle = new LoginThrottle(Microsoft.Extensions.Options.Options.Create(new DashboardOptions { MaxFailedLogins = 3, LockoutDuration = TimeSpan.FromMinutes(15) }), _time);
    }

    [Fact]
    public void RecordFailure_ThirdFromOneAddress_LocksThatAddressOnly()
    {
        // Act
        var first = _throttle.RecordFailure("admin", "203.0.113.7");
        var second = _throttle.RecordFailure("ADMIN", "203.0.113.7");
        var third = _throttle.RecordFailure("admin", "203.0.113.7");

        // Assert
        Assert.False(first);
        Assert.False(second);
        Assert.True(third);
        Assert.True(_throttle.IsLocked("Admin", "203.0.113.7"));
        Assert.False(_throttle.IsLocked("admin", "10.0.0.5"));
        Assert.False(_throttle.IsLocked("op1", "203.0.113.7"));
    }

    [Fact]
    public void IsLocked_AfterLockoutDuration_IsFalseAndCountingStartsOver()
    {
        // Arrange
        for (var i = 0; i < 3; i++)
        {
            _throttle.RecordFailure("admin", "203.0.113.7");
        }

        // Act
        _time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        var lockedAfter = _throttle.IsLocked("admin", "203.0.113.7");
        var relockedAtOnce = _throttle.RecordFailure("admin", "203.0.113.7");

        // Assert
        Assert.False(lockedAfter);
        Assert.False(relockedAtOnce);
    }

    [Fact]
    public void RecordSuccess_ClearsTheCount()
    {
        // Arrange
        _throttle.RecordFailure("admin", "10.0.0.5");
        _throttle.RecordFailure("admin", "10.0.0.5");

        // Act
        _throttle.RecordSuccess("admin", "10.0.0.5");
        var third = _throttle.RecordFailure("admin", "10.0.0.5");

        // Assert
        Assert.False(third);
    }

    [Fact]
    public void RecordFailure_FromVeryManyAddresses_StaysBoundedForgettingTheOldest()
    {
        // Arrange: two failures from the first address (a third would lock it).
        _throttle.RecordFailure("admin", "first");
        _throttle.RecordFailure("admin", "first");

        // Act: a flood from other addresses.
        for (var i = 0; i < LoginThrottle.MaxEntries + 10; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(1));
            _throttle.RecordFailure("admin", $"addr-{i}");
        }

        // Assert
        Assert.InRange(_throttle.Count, 1, LoginThrottle.MaxEntries);
        Assert.False(_throttle.RecordFailure("admin", "first"));
    }
}
