using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ioc.Dashboard.Security;

/// <summary>
/// Re-checks a live circuit's user every minute: a user disabled, or whose role or password changed, loses the open
/// pages too (the cookie check alone only applies to new requests).
/// </summary>
internal sealed class StampRevalidatingStateProvider(ILoggerFactory loggerFactory, IServiceScopeFactory scopes)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        var user = authenticationState.User;
        var name = user.Identity?.Name;
        var stamp = user.FindFirst(AccountEndpoints.StampClaim)?.Value;
        if (name is null || stamp is null)
        {
            return false;
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserStore>();
        return await users.GetSecurityStampAsync(name, cancellationToken) == stamp;
    }
}
