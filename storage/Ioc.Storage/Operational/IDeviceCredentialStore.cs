using System.Globalization;
using System.Security.Cryptography;

namespace Ioc.Storage.Operational;

/// <summary>A device allowed at the broker: its MQTT username is its id (docs/broker-identity.md).</summary>
public sealed record DeviceIdentity(string DeviceId, string Site, string DeviceType);

/// <summary>The state of one device's credential; the secret itself is never stored, only its hash.</summary>
public sealed record DeviceCredential(
    string DeviceId,
    string Site,
    string DeviceType,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RotatedAt,
    DateTimeOffset? RevokedAt)
{
    public bool IsActive => RevokedAt is null;
}

/// <summary>A credential with its hash, for exporting to a broker that checks passwords itself (Mosquitto's password file).</summary>
public sealed record DeviceCredentialHash(DeviceCredential Credential, string PasswordHash);

/// <summary>
/// The device registry's credentials: one per device id. <see cref="IssueAsync"/> and <see cref="RotateAsync"/> return
/// the secret once; only its hash (<see cref="DeviceSecrets"/>) is kept.
/// </summary>
public interface IDeviceCredentialStore
{
    /// <summary>A new credential (or a new one after a revocation); throws <see cref="ArgumentException"/> if the device has a live one.</summary>
    Task<string> IssueAsync(DeviceIdentity device, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>A new secret for a live credential (the old one stops working); null if the device has none.</summary>
    Task<string?> RotateAsync(string deviceId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>False if the device had no live credential.</summary>
    Task<bool> RevokeAsync(string deviceId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The device, if <paramref name="deviceId"/> has a live credential and <paramref name="secret"/> is its secret.</summary>
    Task<DeviceIdentity?> VerifyAsync(string deviceId, string secret, CancellationToken cancellationToken);

    Task<IReadOnlyList<DeviceCredential>> ListAsync(CancellationToken cancellationToken);

    /// <summary>The live credentials with their hashes, for <c>devices export-mosquitto</c>.</summary>
    Task<IReadOnlyList<DeviceCredentialHash>> ListActiveHashesAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Device secrets and their hashes. The hash is PBKDF2-HMAC-SHA512 in Mosquitto's own <c>$7$</c> format
/// (<c>$7$iterations$salt$hash</c>, base64), so the registry's hash is the line Mosquitto's password file needs and no
/// secret leaves the registry. The secrets are 192 random bits, not chosen by people: the iterations only need to stop a
/// stolen hash from being cheap, not guesses, so they stay modest for reconnect storms.
/// </summary>
public static class DeviceSecrets
{
    public const int Iterations = 1000;
    private const int SaltBytes = 12;
    private const int HashBytes = 64;

    public static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');

    public static string Hash(string secret)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(secret, salt, Iterations, HashAlgorithmName.SHA512, HashBytes);
        return string.Create(CultureInfo.InvariantCulture, $"$7${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    public static bool Verify(string secret, string stored)
    {
        var parts = stored.Split('$');
        if (parts is not ["", "7", var iterationsText, var saltText, var hashText]
            || !int.TryParse(iterationsText, NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 1)
        {
            return false;
        }

        var salt = Convert.FromBase64String(saltText);
        var expected = Convert.FromBase64String(hashText);
        var actual = Rfc2898DeriveBytes.Pbkdf2(secret, salt, iterations, HashAlgorithmName.SHA512, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
