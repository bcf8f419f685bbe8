using System.Globalization;
using System.Text;
using Ioc.Contract;
using Ioc.Simulators.Devices;
using Ioc.Simulators.Fleet;

namespace Ioc.Simulators.Scenarios;

/// <summary>
/// A device with buggy firmware: every <see cref="Every"/> it sends one broken payload, cycling through
/// <see cref="Cases"/>; each must be refused by the collector for the reason listed beside it (and land in the
/// dead-letter store). Its normal telemetry continues in between.
/// </summary>
public sealed class MalformedPayloadScenario(Device device, TimeSpan every, DateTimeOffset start, TimeSpan duration)
    : Scenario(ScenarioName, start, duration)
{
    public const string ScenarioName = "malformed-payload";

    /// <summary>The broken payloads, in the order they are sent, with the channel and the reason they must be refused for.</summary>
    public static IReadOnlyList<MalformedCase> Cases { get; } =
    [
        new("truncated_json", MessageChannel.Telemetry, RejectReason.BadJson, at => $"{{\"ts\":{Ms(at)},\"metrics\":{{\"clients\":12,\"cpu_pct\":4"),
        new("ts_in_seconds", MessageChannel.Telemetry, RejectReason.TimestampOutOfRange, at => $"{{\"ts\":{at.ToUnixTimeSeconds()},\"metrics\":{{\"clients\":12}}}}"),
        new("nan_literal", MessageChannel.Telemetry, RejectReason.BadJson, at => $"{{\"ts\":{Ms(at)},\"metrics\":{{\"cpu_pct\":NaN}}}}"),
        new("no_metrics", MessageChannel.Telemetry, RejectReason.NoMetrics, at => $"{{\"ts\":{Ms(at)},\"values\":{{\"clients\":12}}}}"),
        new("bad_metric_name", MessageChannel.Telemetry, RejectReason.BadMetricName, at => $"{{\"ts\":{Ms(at)},\"metrics\":{{\"2.4ghz clients\":12}}}}"),
        new("null_metric", MessageChannel.Telemetry, RejectReason.BadMetricValue, at => $"{{\"ts\":{Ms(at)},\"metrics\":{{\"clients\":null}}}}"),
        new("overflow_number", MessageChannel.Telemetry, RejectReason.NonFiniteNumber, at => $"{{\"ts\":{Ms(at)},\"metrics\":{{\"rx_bytes\":1e999}}}}"),
        new("string_too_long", MessageChannel.Telemetry, RejectReason.StringTooLong, at => $"{{\"ts\":{Ms(at)},\"metrics\":{{\"fw\":\"{new string('x', 300)}\"}}}}"),
        new("reserved_tag", MessageChannel.Telemetry, RejectReason.ReservedName, at => $"{{\"ts\":{Ms(at)},\"metrics\":{{\"clients\":12}},\"tags\":{{\"site\":\"other\"}}}}"),
        new("bad_line_protocol", MessageChannel.Telemetry, RejectReason.BadLineProtocol, at => $"wifi clients= {Ms(at)}000000"),
        new("binary_garbage", MessageChannel.Telemetry, RejectReason.BadEncoding, _ => "\u00FF\u00FE\u0001wifi clients=1i"),
        new("empty_payload", MessageChannel.Telemetry, RejectReason.EmptyPayload, _ => "  "),
        new("event_without_type", MessageChannel.Event, RejectReason.BadEvent, at => $"{{\"ts\":{Ms(at)},\"severity\":\"warning\",\"message\":\"fan\"}}"),
        new("event_bad_severity", MessageChannel.Event, RejectReason.BadEvent, at => $"{{\"ts\":{Ms(at)},\"type\":\"reboot\",\"severity\":\"fatal\"}}"),
        new("status_bad_state", MessageChannel.Status, RejectReason.BadStatus, at => $"{{\"state\":\"up\",\"ts\":{Ms(at)}}}"),
    ];

    public Device Device { get; } = device;

    public TimeSpan Every { get; } = every;

    public override string Target => $"device={Device.Id} every={Durations.Format(Every)}";

    public override void Emit(DateTimeOffset from, DateTimeOffset to, ScenarioOutput output)
    {
        foreach (var (index, at) in Ticks(from, to, Every))
        {
            var item = Cases[(int)(index % Cases.Count)];
            output.Malformed(Device, item.Channel, at, item.Payload(at), item.Expected);
        }
    }

    private static string Ms(DateTimeOffset at) => at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
}

/// <summary>One kind of broken payload and the contract's reason for refusing it.</summary>
public sealed record MalformedCase(string Name, MessageChannel Channel, RejectReason Expected, Func<DateTimeOffset, string> Text)
{
    /// <summary>The bytes sent. <c>binary_garbage</c> is Latin-1 so its leading 0xFF 0xFE bytes are not valid UTF-8.</summary>
    public byte[] Payload(DateTimeOffset at) => Expected == RejectReason.BadEncoding ? Encoding.Latin1.GetBytes(Text(at)) : Encoding.UTF8.GetBytes(Text(at));
}
