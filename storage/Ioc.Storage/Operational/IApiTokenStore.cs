using System.Security.Cryptography;
using System.Text;

namespace Ioc.Storage.Operational;

/// <summary>An API token as stored: never the token itself, only its SHA-256 hash and the prefix it is found by.</summary>
public sealed record ApiToken(
    long Id,
    string Name,
    string Prefix,
    string Role,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt,
    string? RevokedBy)
{
    public bool IsActive => RevokedAt is null;
}

/// <summary>A token just created: <see cref="Secret"/> is shown once and never stored.</summary>
public sealed record IssuedApiToken(ApiToken Token, string Secret);

/// <summary>
/// Bearer tokens for the public REST API (docs/api.md), each scoped to one dashboard role. <see cref="CreateAsync"/>
/// returns the secret once; the store keeps its hash (<see cref="ApiTokenSecrets"/>).
/// </summary>
public interface IApiTokenStore
{
    Task<IssuedApiToken> CreateAsync(string name, string role, string createdBy, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The live token whose secret is <paramref name="secret"/>, or null (unknown, malformed or revoked).</summary>
    Task<ApiToken?> VerifyAsync(string secret, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="at"/> as the token's last use when the stored one is older than <paramref name="resolution"/> (one write a minute, not one a request).</summary>
    Task RecordUseAsync(long id, DateTimeOffset at, TimeSpan resolution, CancellationToken cancellationToken);

    /// <summary>False if there is no live token with this id.</summary>
    Task<bool> RevokeAsync(long id, string revokedBy, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Every token, live and revoked, newest first.</summary>
    Task<IReadOnlyList<ApiToken>> ListAsync(CancellationToken cancellationToken);
}

/// <summary>
/// API token secrets: <c>ioc_</c> followed by 32 random bytes in base64url (43 characters). The first
/// <see cref="PrefixLength"/> characters are stored in clear to find the row; the whole token is stored as its SHA-256
/// (hex). 256 random bits need no salt or slow hash: no guess is cheaper than the search.
/// </summary>
public static class ApiTokenSecrets
{
    public const string Scheme = "ioc_";
    public const int PrefixLength = 12;
    private const int SecretLength = 4 + 43;

    public static string NewSecret() => Scheme + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>True when <paramref name="secret"/> has the shape of a token (not whether it is one).</summary>
    public static bool IsWellFormed(string? secret) => secret is { Length: SecretLength } && secret.StartsWith(Scheme, StringComparison.Ordinal);

    public static string PrefixOf(string secret) => secret[..PrefixLength];

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static bool Matches(string secret, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(storedHash));
}
