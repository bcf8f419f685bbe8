using Ioc.Contract;
using Ioc.Simulators.Generation;
using Ioc.Simulators.Scenarios;
using Ioc.Simulators.Tests.Shared;

namespace Ioc.Simulators.Tests.Generation;

public sealed class ContractConformanceTests
{
    [Fact]
    public void Step_DefaultFleetForTenMinutes_EveryMessageAccepted()
    {
        // Arrange
        var generator = TestFleets.Generator();

        // Act
        var messages = generator.Until(TestFleets.Start.AddMinutes(10)).ToList();

        // Assert
        Assert.NotEmpty(messages);
        var refused = messages.Select(m => (m, r: TestFleets.Decode(m))).Where(x => !x.r.IsAccepted)
            .Select(x => $"{x.m.Topic}: {x.r.Rejection} :: {x.m.PayloadText}").Take(5).ToList();
        Assert.Empty(refused);
    }

    [Fact]
    public void Step_AllScenariosCombined_NormalMessagesAcceptedAndMalformedRefusedForTheirReason()
    {
        // Arrange
        var specs = ScenarioCatalog.All.Select(d => d.Name + "@1m,duration=6m").ToArray();
        var generator = TestFleets.Generator(specs);

        // Act
        var messages = generator.Until(TestFleets.Start.AddMinutes(9)).ToList();

        // Assert
        var malformed = messages.Where(m => m.Kind == SimMessageKind.Malformed).ToList();
        Assert.Equal(18, malformed.Count);
        foreach (var message in malformed)
        {
            var result = TestFleets.Decode(message);
            Assert.False(result.IsAccepted, message.PayloadText);
            Assert.Equal(message.ExpectedRejection, result.Rejection!.Reason);
        }

        var refused = messages.Where(m => m.Kind != SimMessageKind.Malformed).Select(m => (m, r: TestFleets.Decode(m))).Where(x => !x.r.IsAccepted)
            .Select(x => $"{x.m.Topic}: {x.r.Rejection} :: {x.m.PayloadText}").Take(5).ToList();
        Assert.Empty(refused);
    }

    [Fact]
    public void Until_SmallFleetForAWholeDay_EveryMessageAccepted()
    {
        // Arrange: a full day (night, backup window, office hours, evening peak) with recurring incidents.
        var fleet = SmallFleet.Create();
        var generator = TestFleets.Generator(fleet, 42, TestFleets.Start, "crac-failure@2h,row=A", "mains-power-loss@6h,duration=40m", "ddos@10h", "disk-fill@14h,rate=10,duration=20m");

        // Act
        var refused = generator.Until(TestFleets.Start.AddDays(1)).Select(m => (m, r: TestFleets.Decode(m))).Where(x => !x.r.IsAccepted)
            .Select(x => $"{x.m.Topic}: {x.r.Rejection}").Take(5).ToList();

        // Assert
        Assert.Empty(refused);
    }

    [Fact]
    public void Cases_EveryMalformedCase_RefusedForItsDocumentedReason()
    {
        // Arrange
        var device = TestFleets.Default.FindDevice("GL-C01-AP1")!;

        foreach (var item in MalformedPayloadScenario.Cases)
        {
            // Act
            var result = TestFleets.Decoder.Decode(device.Address.Topic(item.Channel), item.Payload(TestFleets.Start), TestFleets.Start);

            // Assert
            Assert.False(result.IsAccepted, item.Name);
            Assert.True(item.Expected == result.Rejection!.Reason, $"{item.Name}: expected {item.Expected}, got {result.Rejection}");
        }
    }
}
