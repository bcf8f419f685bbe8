namespace Ioc.Contract;

/// <summary>Why a message was refused. Every rejection has exactly one reason; its wire name is <see cref="RejectReasons.Name"/>.</summary>
public enum RejectReason
{
    BadTopic,
    UnknownDeviceType,

    /// <summary>The device id has no live credential in the registry (and <c>Ioc:Devices:AutoRegister</c> is off).</summary>
    UnknownDevice,

    PayloadTooLarge,
    EmptyPayload,
    BadEncoding,
    BadJson,
    BadLineProtocol,
    NoMetrics,
    TooManyMetrics,
    BadMetricName,
    BadMetricValue,

    /// <summary>A metric whose value is of another type than the contract fixes for its name (<see cref="FieldSchema"/>).</summary>
    BadMetricType,
    NonFiniteNumber,
    StringTooLong,
    BadTimestamp,
    TimestampOutOfRange,
    BadTag,
    ReservedName,
    TooManyTags,
    BadEvent,
    BadStatus,
    StoreRejected,

    /// <summary>The decoder threw instead of deciding (a bug): the collector dead-letters the message and goes on.</summary>
    DecoderFault,

    /// <summary>The device sent faster than <c>Ioc:Collector:DeviceRateLimit</c> allows: refused and acknowledged (dead letters sampled).</summary>
    RateLimited,
}

public static class RejectReasons
{
    private static readonly string[] Names = Enum.GetValues<RejectReason>().Select(ToSnakeCase).ToArray();

    /// <summary>The snake_case name used in logs, counters and the dead-letter store.</summary>
    public static string Name(this RejectReason reason) => Names[(int)reason];

    public static IReadOnlyList<RejectReason> All { get; } = Enum.GetValues<RejectReason>();

    private static string ToSnakeCase(RejectReason reason)
    {
        var text = reason.ToString();
        var builder = new System.Text.StringBuilder(text.Length + 4);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsUpper(text[i]) && i > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(text[i]));
        }

        return builder.ToString();
    }
}

/// <summary>A refusal with its reason and a human-readable detail (which field, which limit).</summary>
public sealed record Rejection(RejectReason Reason, string Detail)
{
    public override string ToString() => $"{Reason.Name()}: {Detail}";
}
