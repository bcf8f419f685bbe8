using System.Globalization;
using System.Threading.RateLimiting;
using Ioc.Dashboard.Security;
using Ioc.ServiceDefaults;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Ioc.Dashboard.Api;

/// <summary>Policies of the public API: the dashboard's own, evaluated against the API token scheme only.</summary>
public static class ApiPolicies
{
    /// <summary>Any valid token (every role reads).</summary>
    public const string Read = "api.read";

    public const string OperateAlerts = "api." + Policies.OperateAlerts;

    public const string ManageSilences = "api." + Policies.ManageSilences;

    public const string Export = "api." + Policies.ExportData;

    /// <summary>The roles each API policy admits (null: every role).</summary>
    public static IReadOnlyDictionary<string, string[]> RolesByPolicy { get; } = new Dictionary<string, string[]>
    {
        [Read] = [.. Roles.All],
        [OperateAlerts] = Policies.RolesByPolicy[Policies.OperateAlerts],
        [ManageSilences] = Policies.RolesByPolicy[Policies.ManageSilences],
        [Export] = Policies.RolesByPolicy[Policies.ExportData],
    };
}

/// <summary>Rate limit per API token (fixed window, <c>Ioc:Api:RateLimit</c> per <c>Ioc:Api:RateWindow</c>); 429 JSON with Retry-After.</summary>
public sealed class ApiRateLimitPolicy(IOptions<ApiOptions> options) : IRateLimiterPolicy<string>
{
    public const string Name = "api";

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = async (context, cancellationToken) =>
    {
        var http = context.HttpContext;
        var window = http.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.RateWindow;
        var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : window;
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await http.Response.WriteAsJsonAsync(new ApiError("rate_limited", $"too many requests for this token; retry after {Math.Ceiling(retry.TotalSeconds):0} s"), ApiJson.Options, cancellationToken);
    };

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        // Authorization runs before the limiter, so only authenticated token holders get here; each token has its own window.
        var key = httpContext.User.FindFirst(ApiTokenAuthenticationHandler.TokenIdClaim)?.Value ?? "?";
        var settings = options.Value;
        return RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = settings.RateLimit,
            Window = settings.RateWindow,
            QueueLimit = 0,
        });
    }
}

/// <summary>Hosting glue of the public API: called from the dashboard's <c>AddIocDashboard</c> / <c>MapIocDashboard</c>.</summary>
public static class ApiRegistration
{
    public const string DocumentName = "v1";

    /// <summary>Where the OpenAPI document is served (anonymous: it describes, it holds no data).</summary>
    public const string OpenApiPath = "/api/openapi/v1.json";

    /// <summary>The reference page (Scalar) over that document.</summary>
    public const string ReferencePath = "/api/docs";

    /// <summary>The reference page's script is inline; this policy admits it on that page only.</summary>
    private const string ReferencePageSecurityPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    public static IServiceCollection AddIocApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ApiOptions>(configuration, ApiOptions.SectionName, o => o.Validate());
        services.AddSingleton<ApiTokenService>();
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorization(options =>
        {
            foreach (var (policy, roles) in ApiPolicies.RolesByPolicy)
            {
                options.AddPolicy(policy, p => p.AddAuthenticationSchemes(ApiTokenAuthenticationHandler.SchemeName).RequireAuthenticatedUser().RequireRole(roles));
            }
        });
        services.AddOptions<RateLimiterOptions>().Configure(limiter => limiter.AddPolicy<string, ApiRateLimitPolicy>(ApiRateLimitPolicy.Name));
        services.ConfigureHttpJsonOptions(options => ApiJson.Configure(options.SerializerOptions));
        services.AddOpenApi(DocumentName, options =>
        {
            options.ShouldInclude = description => description.GroupName == DocumentName;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Ioc API",
                    Version = "v1",
                    Description = "The public REST API of Ioc, the provincial operations center (docs/api.md). Every call needs `Authorization: Bearer ioc_…`, a token an administrator creates in the dashboard (/admin/api-tokens).",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "An API token created in the dashboard, or Ioc:Api:BootstrapToken.",
                };
                document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] }];
                return Task.CompletedTask;
            });
        });
        return services;
    }

    public static IEndpointRouteBuilder MapIocApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi(OpenApiPath).AllowAnonymous();
        endpoints.MapScalarApiReference(ReferencePath, options => options
                .WithTitle("Ioc API")
                .WithOpenApiRoutePattern(OpenApiPath)
                .DisableDefaultFonts())
            .AllowAnonymous()
            .AddEndpointFilter(async (context, next) =>
            {
                context.HttpContext.Items[SecurityHeaders.ContentSecurityPolicyOverride] = ReferencePageSecurityPolicy;
                return await next(context);
            });
        endpoints.MapApiEndpoints();
        return endpoints;
    }
}
