using Ioc.Contract.Security;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Ioc.ServiceDefaults;

/// <summary>
/// OpenTelemetry for every Ioc host: the meters and activity sources of Ioc (<c>Ioc.*</c>: collector, alert engine,
/// dashboard, API), ASP.NET Core, HttpClient and the .NET runtime; metrics scraped by Prometheus at <c>/metrics</c>
/// (bearer token <c>Ioc:Metrics:Token</c>), traces recorded and sent over OTLP when <c>Ioc:Metrics:OtlpEndpoint</c> is set.
/// </summary>
public static class TelemetryRegistration
{
    /// <summary>Meter and activity-source names Ioc's own instruments use: one per component, all under this prefix.</summary>
    public const string IocPrefix = "Ioc.";

    /// <summary>
    /// Registers OpenTelemetry and the scrape endpoint (a startup filter puts it first in the pipeline, before any
    /// authentication or page routing of the host). Idempotent: the all-in-one host reaches it from the service defaults
    /// and from the dashboard.
    /// </summary>
    public static IServiceCollection AddIocTelemetry(this IServiceCollection services, IConfiguration configuration, string serviceName)
    {
        if (services.Any(d => d.ServiceType == typeof(TelemetryMarker)))
        {
            return services;
        }

        services.AddSingleton<TelemetryMarker>();
        services.AddValidatedOptions<MetricsOptions>(configuration, MetricsOptions.SectionName, o => o.Validate());
        var otlp = configuration[$"{MetricsOptions.SectionName}:{nameof(MetricsOptions.OtlpEndpoint)}"];
        var otlpProtocol = configuration[$"{MetricsOptions.SectionName}:{nameof(MetricsOptions.OtlpProtocol)}"];
        var metricsPath = configuration[$"{MetricsOptions.SectionName}:{nameof(MetricsOptions.Path)}"] ?? "/metrics";
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics => metrics
                .AddMeter(IocPrefix + "*")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());

        // Traces only when someone receives them: recording spans for nobody would cost every request for nothing.
        if (!string.IsNullOrEmpty(otlp) && Uri.TryCreate(otlp, UriKind.Absolute, out var endpoint))
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(IocPrefix + "*")
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments(metricsPath) && !http.Request.Path.StartsWithSegments("/healthz"))
                .AddHttpClientInstrumentation()
                .AddOtlpExporter(o =>
                {
                    o.Endpoint = endpoint;
                    o.Protocol = string.Equals(otlpProtocol, MetricsOptions.HttpProtobuf, StringComparison.OrdinalIgnoreCase) ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
                }));
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupFilter, MetricsEndpointFilter>());
        return services;
    }

    private sealed class TelemetryMarker;

    /// <summary>Serves the Prometheus exporter at <see cref="MetricsOptions.Path"/> to requests with the bearer token; 401 JSON otherwise.</summary>
    private sealed class MetricsEndpointFilter(IOptions<MetricsOptions> options) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            var settings = options.Value;
            if (!string.IsNullOrWhiteSpace(settings.Token))
            {
                var expected = Secrets.Hash(settings.Token.Trim());
                var path = new PathString(settings.Path);
                app.UseOpenTelemetryPrometheusScrapingEndpoint(
                    meterProvider: null,
                    predicate: http => http.Request.Path.Equals(path, StringComparison.OrdinalIgnoreCase),
                    path: null,
                    configureBranchedPipeline: branch => branch.Use(async (http, nextInBranch) =>
                    {
                        if (!(Secrets.BearerToken(http.Request.Headers.Authorization.ToString()) is { } token && Secrets.Matches(token, expected)))
                        {
                            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
                            http.Response.Headers.WWWAuthenticate = "Bearer";
                            await http.Response.WriteAsJsonAsync(new { error = "unauthorized", message = $"{MetricsOptions.SectionName}:Token is required (Authorization: Bearer …)" });
                            return;
                        }

                        await nextInBranch(http);
                    }),
                    optionsName: null);
            }

            next(app);
        };

    }
}
