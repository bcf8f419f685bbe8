using System.Globalization;

namespace Ioc.Storage.Operational;

/// <summary>
/// The <c>devices</c> command of the collector host (docs/broker-identity.md): issue, rotate, revoke and list device
/// credentials in the configured operational store, and export the live ones for Mosquitto. A secret is printed once.
/// </summary>
public static class DeviceProvisioning
{
    public const string Verb = "devices";

    /// <summary>Usernames of the service accounts in deploy/mosquitto/acl: never a device id.</summary>
    public static readonly IReadOnlySet<string> ReservedUsernames = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "ioc-collector", "ioc-engine", "ioc-dashboard", "ioc-simulators",
    };

    public const string Usage = """
        devices issue --site SITE --type TYPE --id DEVICE   a new credential; prints the secret once
        devices rotate --id DEVICE                          a new secret for a live credential; prints it once
        devices revoke --id DEVICE                          the device can no longer connect
        devices list                                        every credential and its state
        devices export-mosquitto --out DIR                  DIR/passwd: one Mosquitto password line per live device
        """;

    /// <summary>Runs <paramref name="args"/> (starting with <see cref="Verb"/>); returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, IDeviceCredentialStore store, TimeProvider time, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var action = args.Length > 1 ? args[1] : "help";
        string? Option(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        try
        {
            switch (action)
            {
                case "issue":
                    var id = Required(Option("--id"), "--id");
                    if (ReservedUsernames.Contains(id))
                    {
                        throw new ArgumentException($"'{id}' is a service account's username (deploy/mosquitto/acl); choose another device id.");
                    }

                    var secret = await store.IssueAsync(new DeviceIdentity(id, Required(Option("--site"), "--site"), Required(Option("--type"), "--type")), time.GetUtcNow(), cancellationToken);
                    await PrintSecretAsync(output, id, secret);
                    return 0;
                case "rotate":
                    var rotateId = Required(Option("--id"), "--id");
                    var rotated = await store.RotateAsync(rotateId, time.GetUtcNow(), cancellationToken);
                    if (rotated is null)
                    {
                        await error.WriteLineAsync($"Device '{rotateId}' has no live credential: issue one.");
                        return 1;
                    }

                    await PrintSecretAsync(output, rotateId, rotated);
                    return 0;
                case "revoke":
                    var revokeId = Required(Option("--id"), "--id");
                    if (!await store.RevokeAsync(revokeId, time.GetUtcNow(), cancellationToken))
                    {
                        await error.WriteLineAsync($"Device '{revokeId}' has no live credential.");
                        return 1;
                    }

                    await output.WriteLineAsync($"Revoked {revokeId}. At Mosquitto, export again and restart the broker.");
                    return 0;
                case "list":
                    foreach (var c in await store.ListAsync(cancellationToken))
                    {
                        var state = c.IsActive ? "active" : $"revoked {c.RevokedAt:O}";
                        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{c.DeviceId}\t{c.Site}\t{c.DeviceType}\t{state}\tcreated {c.CreatedAt:O}\trotated {c.RotatedAt?.ToString("O", CultureInfo.InvariantCulture) ?? "-"}"));
                    }

                    return 0;
                case "export-mosquitto":
                    var folder = Required(Option("--out"), "--out");
                    Directory.CreateDirectory(folder);
                    var lines = (await store.ListActiveHashesAsync(cancellationToken)).Select(h => $"{h.Credential.DeviceId}:{h.PasswordHash}").ToList();
                    var path = Path.Combine(folder, "passwd");
                    await File.WriteAllLinesAsync(path + ".tmp", lines, cancellationToken);
                    File.Move(path + ".tmp", path, overwrite: true);
                    await output.WriteLineAsync($"Wrote {lines.Count} device line(s) to {path}; restart Mosquitto to apply.");
                    return 0;
                default:
                    await error.WriteLineAsync(Usage);
                    return action == "help" ? 0 : 2;
            }
        }
        catch (ArgumentException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return 1;
        }
    }

    private static async Task PrintSecretAsync(TextWriter output, string deviceId, string secret)
    {
        await output.WriteLineAsync($"username: {deviceId}");
        await output.WriteLineAsync($"password: {secret}");
        await output.WriteLineAsync("Shown once: configure the device now. Only its hash is kept.");
    }

    private static string Required(string? value, string option) =>
        string.IsNullOrWhiteSpace(value) ? throw new ArgumentException($"{option} is required.\n{Usage}") : value;
}
