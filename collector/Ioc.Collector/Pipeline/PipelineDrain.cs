namespace Ioc.Collector.Pipeline;

/// <summary>Completes when the writer has stored and acknowledged the last batch, so the ingress can disconnect only then.</summary>
public sealed class PipelineDrain
{
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Drained => _drained.Task;

    public void MarkDrained() => _drained.TrySetResult();
}
