namespace Ioc.Alerting.Election;

/// <summary>Where the engine's input comes from.</summary>
public enum EvaluatorInput
{
    /// <summary>The collector in the same process hands over every message it accepts (one collector: the all-in-one).</summary>
    Collector,

    /// <summary>
    /// Several collectors share the ingestion; one of them, the holder of a lease in the operational store, evaluates
    /// every message through its own persistent MQTT subscription. The others wait as warm standbys.
    /// </summary>
    Lease,
}

/// <summary>Section <c>Ioc:Alerting:Evaluator</c>: which process evaluates the rules, and how it takes over.</summary>
public sealed class EvaluatorOptions
{
    public const string SectionName = "Ioc:Alerting:Evaluator";

    public EvaluatorInput Input { get; set; } = EvaluatorInput.Collector;

    /// <summary>The lease's name in the operational store; every collector of one deployment uses the same.</summary>
    public string LeaseName { get; set; } = "alert-evaluator";

    /// <summary>How long a lease lasts without renewal: the longest a dead evaluator's lease holds back its standby.</summary>
    public TimeSpan LeaseTtl { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the holder renews, and how often a standby tries to take the lease.</summary>
    public TimeSpan RenewInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>This process's name in the lease (default: host name and process id).</summary>
    public string? Holder { get; set; }

    /// <summary>
    /// The base URL of this process's command endpoints as other processes reach it (e.g. <c>http://collector-1:8081</c>);
    /// published with the lease so that dashboards send alert commands to the active evaluator.
    /// </summary>
    public string? Endpoint { get; set; }

    /// <summary>
    /// MQTT client id of the evaluator's subscription. Every collector uses the same: the broker keeps one persistent
    /// session for whoever evaluates, queues what arrives during a takeover, and lets only one connection hold it.
    /// </summary>
    public string ClientId { get; set; } = "ioc-evaluator";

    public string EffectiveHolder => string.IsNullOrWhiteSpace(Holder) ? $"{Environment.MachineName}-{Environment.ProcessId}" : Holder;

    public IEnumerable<string> Validate()
    {
        const string s = SectionName;
        if (string.IsNullOrWhiteSpace(LeaseName))
        {
            yield return $"{s}:LeaseName must not be empty.";
        }

        if (LeaseTtl < TimeSpan.FromSeconds(1) || LeaseTtl > TimeSpan.FromMinutes(5))
        {
            yield return $"{s}:LeaseTtl must be between 00:00:01 and 00:05:00 (was {LeaseTtl}).";
        }

        if (RenewInterval <= TimeSpan.Zero || RenewInterval * 2 > LeaseTtl)
        {
            yield return $"{s}:RenewInterval must be positive and at most half of LeaseTtl (was {RenewInterval}, LeaseTtl {LeaseTtl}).";
        }

        if (Endpoint is { Length: > 0 } && !Uri.TryCreate(Endpoint, UriKind.Absolute, out _))
        {
            yield return $"{s}:Endpoint must be an absolute URL such as http://collector-1:8081 (was '{Endpoint}').";
        }

        if (string.IsNullOrWhiteSpace(ClientId) || ClientId.Length > 64)
        {
            yield return $"{s}:ClientId must be 1 to 64 characters.";
        }
    }
}
