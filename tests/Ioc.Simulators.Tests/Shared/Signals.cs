using Ioc.Contract.Model;
using Ioc.Simulators.Generation;

namespace Ioc.Simulators.Tests.Shared;

/// <summary>Reads signals back out of generated messages through the contract's own decoder.</summary>
internal static class Signals
{
    /// <summary>The (time, value) series of one metric of one device (JSON metric or line-protocol field of a measurement).</summary>
    public static List<(DateTimeOffset At, FieldValue Value)> Series(IEnumerable<SimMessage> messages, string deviceId, string field, string? measurement = null) =>
        messages.Where(m => m.Kind == SimMessageKind.Telemetry && m.Topic.Contains("/" + deviceId + "/", StringComparison.Ordinal))
            .SelectMany(m => TestFleets.Decode(m).Message!.Points)
            .Where(p => measurement is null || p.Measurement == measurement)
            .Select(p => (At: p.Timestamp, Value: p.GetField(field)))
            .Where(x => x.Value is not null)
            .Select(x => (x.At, x.Value!.Value))
            .ToList();

    public static List<(DateTimeOffset At, double Value)> Numbers(IEnumerable<SimMessage> messages, string deviceId, string field, string? measurement = null) =>
        Series(messages, deviceId, field, measurement).Select(x => (x.At, x.Value.AsDouble())).ToList();

    public static List<DeviceEvent> Events(IEnumerable<SimMessage> messages, string type) =>
        messages.Where(m => m.Kind == SimMessageKind.Event)
            .Select(m => TestFleets.Decode(m).Message!.Event!)
            .Where(e => e.Type == type)
            .ToList();
}
