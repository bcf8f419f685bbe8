namespace Ioc.Simulators.Tests.Shared;

/// <summary>Tests that measure against a real broker run alone, so parallel CPU-heavy tests do not skew their timing.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrokerCollection
{
    public const string Name = "broker";
}
