namespace Ioc.Alerting.Election;

/// <summary>
/// Says when this process may evaluate rules and write alert state. The engine waits on it before it loads its state,
/// and the evaluator's subscription connects only once it is open: two engines never write the same alerts.
/// </summary>
public interface IEvaluatorGate
{
    /// <summary>True while this process is the active evaluator.</summary>
    bool IsActive { get; }

    /// <summary>Completes when this process becomes the active evaluator.</summary>
    Task WaitUntilActiveAsync(CancellationToken cancellationToken);
}

/// <summary>The gate of a single evaluator (one process, or one collector): always open.</summary>
public sealed class AlwaysActiveGate : IEvaluatorGate
{
    public bool IsActive => true;

    public Task WaitUntilActiveAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
