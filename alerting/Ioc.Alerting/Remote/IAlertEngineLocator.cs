using Ioc.Alerting.Election;
using Ioc.Alerting.Hosting;
using Ioc.Alerting.Service;
using Ioc.Storage.Operational;
using Microsoft.Extensions.Options;

namespace Ioc.Alerting.Remote;

/// <summary>Where the alert engine that takes commands runs (its host's base URI, ending in <c>/</c>).</summary>
public interface IAlertEngineLocator
{
    ValueTask<Uri> GetEngineUriAsync(CancellationToken cancellationToken);
}

/// <summary>The engine named by <c>Ioc:Alerting:EngineUrl</c>.</summary>
public sealed class ConfiguredAlertEngineLocator(IOptions<AlertingOptions> options) : IAlertEngineLocator
{
    private readonly Uri? _engine = Normalize(options.Value.EngineUrl);

    public ValueTask<Uri> GetEngineUriAsync(CancellationToken cancellationToken) =>
        _engine is { } engine
            ? ValueTask.FromResult(engine)
            : throw new InvalidOperationException($"{AlertingOptions.SectionName}:EngineUrl is not set; name the collector (alert engine) host, e.g. http://collector:8080/.");

    internal static Uri? Normalize(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
            ? uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/")
            : null;
}

/// <summary>
/// The active evaluator among several collectors: the endpoint its lease publishes in the operational store
/// (<c>Ioc:Alerting:Evaluator:Endpoint</c> of that collector), read on every command so that a takeover is followed at
/// once; <c>Ioc:Alerting:EngineUrl</c> when no holder has published one.
/// </summary>
public sealed class LeaseAlertEngineLocator(ILeaseStore leases, EvaluatorOptions evaluator, IOptions<AlertingOptions> options) : IAlertEngineLocator
{
    private readonly Uri? _fallback = ConfiguredAlertEngineLocator.Normalize(options.Value.EngineUrl);

    public async ValueTask<Uri> GetEngineUriAsync(CancellationToken cancellationToken)
    {
        var lease = await leases.GetAsync(evaluator.LeaseName, cancellationToken);
        if (ConfiguredAlertEngineLocator.Normalize(lease?.Endpoint) is { } active)
        {
            return active;
        }

        return _fallback ?? throw new AlertEngineUnavailableException(
            $"no collector holds the evaluator lease '{evaluator.LeaseName}' with an endpoint (Ioc:Alerting:Evaluator:Endpoint), and {AlertingOptions.SectionName}:EngineUrl is not set");
    }
}
