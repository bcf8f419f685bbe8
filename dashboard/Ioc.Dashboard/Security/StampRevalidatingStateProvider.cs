using Ioc.Dashboard.Configuration;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ioc.Dashboard.Security;

/// <summary>
/// Re-checks a live circuit's user every <see cref="DashboardOptions.CircuitRevalidationInterval"/>: a user logged out,
/// disabled, or whose role or password changed, or whose session passed its maximum age, loses the open pages too (the
/// cookie check alone only applies to new requests).
/// </summary>
internal sealed class StampRevalidatingStateProvider(ILoggerFactory loggerFactory, IServiceScopeFactory scopes, IOptions<DashboardOptions> options, TimeProvider time)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => options.Value.CircuitRevalidationInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserStore>();
        return await StampValidator.IsCurrentAsync(authenticationState.User, users, options.Value, time, cancellationToken);
    }
}
