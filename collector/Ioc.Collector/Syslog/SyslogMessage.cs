namespace Ioc.Collector.Syslog;

/// <summary>Which header a syslog message carried.</summary>
public enum SyslogFormat
{
    /// <summary>RFC 5424: <c>&lt;PRI&gt;1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD MSG</c>.</summary>
    Rfc5424,

    /// <summary>RFC 3164 and its vendor variants: <c>&lt;PRI&gt;[TIMESTAMP [HOSTNAME]] [TAG[PID]:] MSG</c>, parts often missing.</summary>
    Rfc3164,
}

/// <summary>One RFC 5424 structured-data element: its SD-ID and parameters in the order sent.</summary>
public sealed record SyslogStructuredElement(string Id, IReadOnlyList<KeyValuePair<string, string>> Parameters);

/// <summary>
/// A parsed syslog message. <see cref="Hostname"/> is what the sender wrote and is kept for the record only: the device a
/// message is attributed to comes from the connection (source address or client certificate), never from this field.
/// </summary>
public sealed record SyslogMessage(
    SyslogFormat Format,
    int Facility,
    int Severity,
    DateTimeOffset? Timestamp,
    string? Hostname,
    string? AppName,
    string? ProcId,
    string? MsgId,
    IReadOnlyList<SyslogStructuredElement> StructuredData,
    string Message)
{
    /// <summary>An RFC 3164 timestamp as sent (<c>Mar  1 18:46:11</c>): it has no year and no zone, so it is not used as the time.</summary>
    public string? DeviceTime { get; init; }
}

/// <summary>Why bytes are not a syslog message. Every refusal has one; <see cref="SyslogRejectReasons.Name"/> is its wire name.</summary>
public enum SyslogRejectReason
{
    /// <summary>Nothing but whitespace.</summary>
    Empty,

    /// <summary>Longer than <c>Ioc:Syslog:MaxMessageBytes</c>.</summary>
    TooLong,

    /// <summary>A <c>&lt;</c> that does not open a PRI of 1 to 3 digits, 0 to 191, closed by <c>&gt;</c>.</summary>
    BadPri,

    /// <summary>RFC 5424 VERSION other than 1.</summary>
    BadVersion,

    /// <summary>An RFC 5424 header field missing, too long or not printable US-ASCII.</summary>
    BadHeader,

    /// <summary>An RFC 5424 TIMESTAMP that is not RFC 3339 with a zone.</summary>
    BadTimestamp,

    /// <summary>RFC 5424 STRUCTURED-DATA that does not follow the grammar.</summary>
    BadStructuredData,

    /// <summary>A TCP frame that breaks RFC 6587 (a length that is not a number, or too long).</summary>
    BadFrame,

    /// <summary>The source address or client certificate is not in <c>Ioc:Syslog:Senders</c>.</summary>
    UnknownSender,
}

public static class SyslogRejectReasons
{
    private static readonly string[] Names =
    [
        "syslog_empty", "syslog_too_long", "syslog_bad_pri", "syslog_bad_version", "syslog_bad_header", "syslog_bad_timestamp",
        "syslog_bad_structured_data", "syslog_bad_frame", "unknown_sender",
    ];

    /// <summary>The snake_case name used in counters and the dead-letter store.</summary>
    public static string Name(this SyslogRejectReason reason) => Names[(int)reason];
}

/// <summary>A message, or the reason and detail of its refusal.</summary>
public readonly record struct SyslogParseResult(SyslogMessage? Message, SyslogRejectReason Reason, string Detail)
{
    public bool IsAccepted => Message is not null;

    public static SyslogParseResult Accept(SyslogMessage message) => new(message, default, string.Empty);

    public static SyslogParseResult Reject(SyslogRejectReason reason, string detail) => new(null, reason, detail);
}
