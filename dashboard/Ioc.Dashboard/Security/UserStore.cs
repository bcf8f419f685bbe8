using System.Security.Cryptography;
using Ioc.Dashboard.Configuration;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Ioc.Dashboard.Security;

/// <summary>
/// Console accounts, kept in the operational store's <see cref="IUserStore"/>. Passwords are hashed with ASP.NET Core Identity's PBKDF2 <see cref="PasswordHasher{TUser}"/>;
/// a run of <see cref="DashboardOptions.AccountLockoutThreshold"/> failed logins (from any address) locks the account for
/// <see cref="DashboardOptions.LockoutDuration"/>. The per-address lock is <see cref="LoginThrottle"/>'s.
/// </summary>
public sealed class UserStore
{
    private static readonly PasswordHasher<string> Hasher = new();
    private readonly IUserStore _store;
    private readonly DashboardOptions _options;
    private readonly TimeProvider _time;

    public UserStore(IUserStore store, IOptions<DashboardOptions> options, TimeProvider time)
    {
        _store = store;
        _options = options.Value;
        _time = time;
    }

    public const int MinPasswordLength = 12;

    public async Task<DashboardUser> CreateAsync(string userName, string displayName, string role, string password, CancellationToken cancellationToken)
    {
        ValidateUserName(userName);
        ValidateRole(role);
        ValidatePassword(password);
        var display = string.IsNullOrWhiteSpace(displayName) ? userName : displayName.Trim();
        return await _store.CreateAsync(userName, display, role, Hasher.HashPassword(userName, password), NewStamp(), _time.GetUtcNow(), cancellationToken);
    }

    public Task<long> CountAsync(CancellationToken cancellationToken) => _store.CountAsync(cancellationToken);

    public Task<DashboardUser?> FindAsync(string userName, CancellationToken cancellationToken) => _store.FindAsync(userName, cancellationToken);

    public Task<IReadOnlyList<DashboardUser>> ListAsync(CancellationToken cancellationToken) => _store.ListAsync(cancellationToken);

    /// <summary>
    /// Checks a password; counts failures and locks the account after <see cref="DashboardOptions.AccountLockoutThreshold"/> in a row.
    /// Every path hashes once, so the time taken does not tell unknown, locked, disabled and real names apart.
    /// </summary>
    public async Task<LoginResult> VerifyAsync(string userName, string password, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (await _store.FindCredentialsAsync(userName, cancellationToken) is not { } credentials)
        {
            // Same work as a real check, so timing does not tell which names exist.
            Hasher.VerifyHashedPassword(userName, DummyHash, password);
            return new LoginResult(LoginOutcome.InvalidCredentials, null);
        }

        var user = credentials.User;
        if (user.IsLockedOut(now))
        {
            Hasher.VerifyHashedPassword(userName, DummyHash, password);
            return new LoginResult(LoginOutcome.LockedOut, user);
        }

        if (user.Disabled)
        {
            Hasher.VerifyHashedPassword(userName, DummyHash, password);
            return new LoginResult(LoginOutcome.Disabled, user);
        }

        var verdict = Hasher.VerifyHashedPassword(user.UserName, credentials.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            var failures = user.FailedLogins + 1;
            var lockNow = failures >= _options.AccountLockoutThreshold;
            await _store.RecordFailedLoginAsync(user.Id, lockNow ? 0 : failures, lockNow ? now + _options.LockoutDuration : null, cancellationToken);
            return new LoginResult(lockNow ? LoginOutcome.LockedOut : LoginOutcome.InvalidCredentials, user);
        }

        var rehash = verdict == PasswordVerificationResult.SuccessRehashNeeded ? Hasher.HashPassword(user.UserName, password) : null;
        await _store.RecordLoginAsync(user.Id, now, rehash, cancellationToken);
        return new LoginResult(LoginOutcome.Success, user with { FailedLogins = 0, LockedUntil = null, LastLoginAt = now });
    }

    /// <summary>The stamp changes whenever role, password or state changes; a cookie with an older stamp is refused.</summary>
    public Task<string?> GetSecurityStampAsync(string userName, CancellationToken cancellationToken) => _store.GetSecurityStampAsync(userName, cancellationToken);

    public async Task SetRoleAsync(string userName, string role, CancellationToken cancellationToken)
    {
        ValidateRole(role);
        Found(await _store.SetRoleAsync(userName, role, NewStamp(), cancellationToken), userName);
    }

    public async Task SetDisabledAsync(string userName, bool disabled, CancellationToken cancellationToken) =>
        Found(await _store.SetDisabledAsync(userName, disabled, NewStamp(), cancellationToken), userName);

    public async Task UnlockAsync(string userName, CancellationToken cancellationToken) =>
        Found(await _store.UnlockAsync(userName, NewStamp(), cancellationToken), userName);

    public async Task SetPasswordAsync(string userName, string password, CancellationToken cancellationToken)
    {
        ValidatePassword(password);
        Found(await _store.SetPasswordHashAsync(userName, Hasher.HashPassword(userName, password), NewStamp(), cancellationToken), userName);
    }

    /// <summary>A new stamp alone: every cookie and open page of the user stops working (logout ends every copy of the session).</summary>
    public async Task RotateSecurityStampAsync(string userName, CancellationToken cancellationToken) =>
        Found(await _store.SetSecurityStampAsync(userName, NewStamp(), cancellationToken), userName);

    internal static string GeneratePassword()
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        return RandomNumberGenerator.GetString(alphabet, 20);
    }

    private static void Found(bool found, string userName)
    {
        if (!found)
        {
            throw new ArgumentException($"There is no user named '{userName}'.", nameof(userName));
        }
    }

    private static readonly string DummyHash = Hasher.HashPassword("-", GeneratePassword());

    private static string NewStamp() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    private static void ValidateUserName(string userName)
    {
        if (string.IsNullOrWhiteSpace(userName) || userName.Length > 64 || !userName.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            throw new ArgumentException("A user name is 1 to 64 letters, digits, '.', '_' or '-'.", nameof(userName));
        }
    }

    private static void ValidateRole(string role)
    {
        if (!Roles.IsKnown(role))
        {
            throw new ArgumentException($"Role must be one of {string.Join(", ", Roles.All)}.", nameof(role));
        }
    }

    private static void ValidatePassword(string password)
    {
        if (password is null || password.Length < MinPasswordLength)
        {
            throw new ArgumentException($"A password has at least {MinPasswordLength} characters.", nameof(password));
        }
    }
}
