using Ioc.Dashboard.Security;

namespace Ioc.Dashboard.Api;

/// <summary>
/// What the admin page does with API tokens: create (the secret is returned once, to be shown once), revoke and list;
/// every creation and revocation is written to the audit log with the acting admin.
/// </summary>
public sealed class ApiTokenService(IApiTokenStore store, AuditLog audit, TimeProvider time)
{
    public const int MaxNameLength = 80;

    public Task<IReadOnlyList<ApiToken>> ListAsync(CancellationToken cancellationToken) => store.ListAsync(cancellationToken);

    /// <summary>Throws <see cref="ArgumentException"/> for an empty or too long name or an unknown role.</summary>
    public async Task<IssuedApiToken> CreateAsync(string name, string role, string admin, CancellationToken cancellationToken)
    {
        name = name.Trim();
        if (name.Length is 0 or > MaxNameLength)
        {
            throw new ArgumentException($"A token's name has 1 to {MaxNameLength} characters.", nameof(name));
        }

        if (!Roles.IsKnown(role))
        {
            throw new ArgumentException($"Unknown role '{role}'.", nameof(role));
        }

        var issued = await store.CreateAsync(name, role, admin, time.GetUtcNow(), cancellationToken);
        await audit.WriteAsync(admin, "api-token.create", $"#{issued.Token.Id} {name}", $"role={role} prefix={issued.Token.Prefix}", true, cancellationToken);
        return issued;
    }

    public async Task<bool> RevokeAsync(ApiToken token, string admin, CancellationToken cancellationToken)
    {
        var revoked = await store.RevokeAsync(token.Id, admin, time.GetUtcNow(), cancellationToken);
        await audit.WriteAsync(admin, "api-token.revoke", $"#{token.Id} {token.Name}", revoked ? $"prefix={token.Prefix}" : "already revoked", revoked, cancellationToken);
        return revoked;
    }
}
