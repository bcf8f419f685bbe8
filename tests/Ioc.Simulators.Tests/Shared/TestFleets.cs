using Ioc.Contract;
using Ioc.Simulators.Fleet;
using Ioc.Simulators.Generation;
using Ioc.Simulators.Scenarios;

namespace Ioc.Simulators.Tests.Shared;

/// <summary>Fleets and generators shared by the tests (the default fleet is generated once).</summary>
internal static class TestFleets
{
    public const int Seed = 42;

    /// <summary>A Tuesday, 19:00 in Hải Dương (12:00 UTC).</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<FleetDefinition> LazyDefault = new(() => FleetGenerator.Generate(FleetSpec.HaiDuong, Seed));

    public static FleetDefinition Default => LazyDefault.Value;

    public static MessageDecoder Decoder { get; } = new(new ContractOptions());

    public static MessageGenerator Generator(params string[] scenarios) => Generator(Default, Seed, Start, scenarios);

    public static MessageGenerator Generator(FleetDefinition fleet, int seed, DateTimeOffset start, params string[] scenarios)
    {
        var timeline = new ScenarioTimeline(scenarios.Select(s => ScenarioCatalog.Create(ScenarioSpec.Parse(s), fleet, start, seed)));
        return new MessageGenerator(fleet, new SimulationSettings { Seed = seed, Start = start }, timeline);
    }

    public static DecodeResult Decode(SimMessage message) => Decoder.Decode(message.Topic, message.Payload, message.At);
}
