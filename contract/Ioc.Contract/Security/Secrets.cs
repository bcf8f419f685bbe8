using System.Security.Cryptography;
using System.Text;

namespace Ioc.Contract.Security;

/// <summary>
/// Comparing a secret someone presents with the configured one, in one way everywhere (alert command token, metrics
/// token, API bootstrap token, broker service accounts): both hashed with SHA-256 first, then compared in constant
/// time, so that neither the content nor the length of the secret shows in the time an answer takes.
/// </summary>
public static class Secrets
{
    private const string BearerScheme = "Bearer ";

    /// <summary>The SHA-256 of the secret's UTF-8 bytes: what a service keeps to check a configured token against.</summary>
    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>True when <paramref name="given"/> is the secret whose <see cref="Hash"/> is <paramref name="expectedHash"/>.</summary>
    public static bool Matches(string given, byte[] expectedHash) =>
        CryptographicOperations.FixedTimeEquals(Hash(given), expectedHash);

    /// <summary>True when the two secrets are equal, compared as <see cref="Matches"/> does.</summary>
    public static bool Equal(string given, string expected) => Matches(given, Hash(expected));

    /// <summary>The token of an <c>Authorization: Bearer …</c> header value (trimmed), or null for any other header.</summary>
    public static string? BearerToken(string? authorization) =>
        authorization is not null && authorization.StartsWith(BearerScheme, StringComparison.OrdinalIgnoreCase)
            ? authorization[BearerScheme.Length..].Trim()
            : null;
}
