using Ioc.Contract.Security;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Ioc.Dashboard.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ioc.Dashboard.Api;

/// <summary>
/// The API's authentication scheme: <c>Authorization: Bearer {token}</c>, a token created in the dashboard
/// (<see cref="IApiTokenStore"/>, found by prefix and checked against its SHA-256) or the bootstrap token from
/// configuration. The principal is named <c>api:{token name}</c> and has the token's role; its <see cref="TokenIdClaim"/>
/// partitions the rate limit. Failures answer 401 / 403 with a JSON body, never a redirect to the login page.
/// </summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IApiTokenStore tokens,
    IOptions<ApiOptions> api,
    TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "IocApiToken";
    public const string TokenIdClaim = "ioc:api_token";
    public const string BootstrapName = "bootstrap";

    /// <summary>Last-used times are written at most this often per token.</summary>
    private static readonly TimeSpan UseResolution = TimeSpan.FromMinutes(1);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Secrets.BearerToken(Request.Headers.Authorization.ToString()) is not { } secret)
        {
            return AuthenticateResult.NoResult();
        }

        var settings = api.Value;
        if (!string.IsNullOrWhiteSpace(settings.BootstrapToken) && Secrets.Equal(secret, settings.BootstrapToken.Trim()))
        {
            return Success(BootstrapName, BootstrapName, settings.BootstrapRole);
        }

        var token = await tokens.VerifyAsync(secret, Context.RequestAborted);
        if (token is null)
        {
            return AuthenticateResult.Fail("unknown or revoked API token");
        }

        await tokens.RecordUseAsync(token.Id, time.GetUtcNow(), UseResolution, Context.RequestAborted);
        return Success(token.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), token.Name, token.Role);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Response.WriteAsJsonAsync(new ApiError("unauthorized", "an API token is required: Authorization: Bearer ioc_…"), ApiJson.Options, Context.RequestAborted);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        var role = Context.User.FindFirst(ClaimTypes.Role)?.Value ?? "?";
        return Response.WriteAsJsonAsync(new ApiError("forbidden", $"this token's role ({role}) may not do this"), ApiJson.Options, Context.RequestAborted);
    }

    /// <summary>The name every audit line and engine command carries for a token.</summary>
    public static string ActorName(string tokenName) => "api:" + tokenName;

    private AuthenticateResult Success(string id, string name, string role)
    {
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, ActorName(name)), new Claim(ClaimTypes.Role, role), new Claim(TokenIdClaim, id)],
            SchemeName,
            ClaimTypes.Name,
            ClaimTypes.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
