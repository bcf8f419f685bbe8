using Ioc.Contract;
using Ioc.Contract.Model;
using Ioc.Simulators.Devices;
using Ioc.Simulators.Fleet;
using Ioc.Simulators.Generation;

namespace Ioc.Simulators.Scenarios;

/// <summary>Where a scenario writes the messages it sends itself (events, wills, recovery status, malformed payloads).</summary>
public sealed class ScenarioOutput
{
    private readonly Func<string, int> _indexOf;
    private readonly PayloadWriter _writer;
    private readonly List<SimMessage> _messages;

    internal ScenarioOutput(Func<string, int> indexOf, PayloadWriter writer, List<SimMessage> messages)
    {
        _indexOf = indexOf;
        _writer = writer;
        _messages = messages;
    }

    public string? CurrentScenario { get; internal set; }

    public void Event(Device device, DateTimeOffset at, string type, EventSeverity severity, string message, IEnumerable<KeyValuePair<string, string>> attributes)
    {
        var payload = _writer.Event(at, type, severity.ToString().ToLowerInvariant(), message, attributes);
        _messages.Add(new SimMessage(at, device.Address.Topic(MessageChannel.Event), payload, false, SimMessageKind.Event, _indexOf(device.Id)) { Scenario = CurrentScenario });
    }

    /// <summary>A retained status; <paramref name="fromWill"/> marks the offline status the broker sends from the last will.</summary>
    public void Status(Device device, DateTimeOffset at, bool online, bool fromWill)
    {
        _messages.Add(new SimMessage(
            at,
            device.Address.Topic(MessageChannel.Status),
            PayloadWriter.Status(at, online),
            true,
            fromWill ? SimMessageKind.Will : SimMessageKind.Status,
            _indexOf(device.Id))
        { Online = online, Scenario = CurrentScenario });
    }

    public void Malformed(Device device, MessageChannel channel, DateTimeOffset at, byte[] payload, RejectReason expected)
    {
        _messages.Add(new SimMessage(at, device.Address.Topic(channel), payload, false, SimMessageKind.Malformed, _indexOf(device.Id))
        { ExpectedRejection = expected, Scenario = CurrentScenario });
    }
}
