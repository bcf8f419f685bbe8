namespace Ioc.Alerting.Tests.Shared;

/// <summary>Tests that measure time run alone, not beside the rest of the suite.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection
{
    public const string Name = "timing";
}
