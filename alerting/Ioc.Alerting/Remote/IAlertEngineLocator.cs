using Ioc.Alerting.Hosting;
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
