namespace Ioc.ServiceDefaults;

/// <summary>
/// <c>Ioc:Metrics</c>: the Prometheus scrape endpoint every host serves (docs/metrics.md). It answers only requests that
/// carry <c>Authorization: Bearer {Token}</c>; with no token configured it is not served at all (404), so a host never
/// shows its figures to whoever can reach its port.
/// </summary>
public sealed class MetricsOptions
{
    public const string SectionName = "Ioc:Metrics";

    /// <summary>Bearer token Prometheus sends (<c>authorization: credentials</c> in its scrape config); at least 16 characters. Empty: /metrics is off.</summary>
    public string? Token { get; set; }

    /// <summary>Path of the scrape endpoint.</summary>
    public string Path { get; set; } = "/metrics";

    /// <summary>An OTLP collector (e.g. <c>http://127.0.0.1:4317</c>) to send traces to; empty: no trace is recorded.</summary>
    public string? OtlpEndpoint { get; set; }

    public const string Grpc = "grpc";
    public const string HttpProtobuf = "http/protobuf";

    /// <summary><c>grpc</c> (port 4317) or <c>http/protobuf</c> (port 4318; the endpoint then includes <c>/v1/traces</c>).</summary>
    public string OtlpProtocol { get; set; } = Grpc;

    public IEnumerable<string> Validate()
    {
        if (!string.IsNullOrEmpty(Token) && Token.Trim().Length < 16)
        {
            yield return $"{SectionName}:Token must be at least 16 characters (a random secret), or empty to serve no /metrics.";
        }

        if (string.IsNullOrWhiteSpace(Path) || !Path.StartsWith('/'))
        {
            yield return $"{SectionName}:Path must start with '/' (was '{Path}').";
        }

        if (OtlpProtocol is not (Grpc or HttpProtobuf))
        {
            yield return $"{SectionName}:OtlpProtocol must be '{Grpc}' or '{HttpProtobuf}' (was '{OtlpProtocol}').";
        }

        if (!string.IsNullOrEmpty(OtlpEndpoint) && !Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out _))
        {
            yield return $"{SectionName}:OtlpEndpoint must be an absolute URL such as http://127.0.0.1:4317 (was '{OtlpEndpoint}').";
        }
    }
}
