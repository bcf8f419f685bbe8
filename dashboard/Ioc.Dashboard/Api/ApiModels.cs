using System.Text.Json;
using System.Text.Json.Serialization;
using Ioc.Contract.Model;

namespace Ioc.Dashboard.Api;

/// <summary>The body of every API error: a stable code (<c>unauthorized</c>, <c>forbidden</c>, <c>not_found</c>, <c>invalid</c>, <c>conflict</c>, <c>rate_limited</c>, <c>unavailable</c>) and a sentence.</summary>
public sealed record ApiError(string Error, string Message);

/// <summary>The API's JSON: camelCase, enums as camelCase strings (the same as the HTTP JSON options the API configures).</summary>
public static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        if (!options.Converters.OfType<JsonStringEnumConverter>().Any())
        {
            options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        }

        return options;
    }

    /// <summary>A field value as JSON: a number, a boolean or a string.</summary>
    public static object Value(FieldValue value) => value.Kind switch
    {
        FieldKind.Float => value.AsDouble(),
        FieldKind.Integer => value.AsInteger(),
        FieldKind.UInteger => value.AsUInteger(),
        FieldKind.Boolean => value.AsBoolean(),
        _ => value.AsString(),
    };
}

/// <summary>A device of the fleet with its live state.</summary>
/// <param name="Name">The site's display name in the request's language ("Thanh Hà · An Sơn").</param>
/// <param name="State">online / offline as the device last reported it; null if it has not.</param>
/// <param name="Health">The alert engine's verdict: online / offline / silent; null until the engine reports it.</param>
public sealed record ApiDevice(
    string Site,
    string DeviceType,
    string DeviceId,
    string? District,
    string Name,
    string? State,
    DateTimeOffset? StateSince,
    DateTimeOffset? LastTelemetryAt,
    string? Health);

/// <summary>One device with the metrics and tags of its latest telemetry as the console holds them.</summary>
public sealed record ApiDeviceDetail(ApiDevice Device, IReadOnlyDictionary<string, object> Metrics, IReadOnlyDictionary<string, string> Tags);

/// <summary>The newest stored value of each field of a device (from the telemetry store), with when it was written.</summary>
public sealed record ApiLatestValue(string Field, object Value, DateTimeOffset Time);

/// <summary>A stored point: its time, tags and fields.</summary>
public sealed record ApiPoint(string Measurement, DateTimeOffset Time, IReadOnlyDictionary<string, string> Tags, IReadOnlyDictionary<string, object> Fields);

/// <summary>A time bucket: its start, one value per requested function, and its group's tag values.</summary>
public sealed record ApiBucket(DateTimeOffset Time, IReadOnlyDictionary<string, double> Values, IReadOnlyDictionary<string, string> Group);

/// <summary>Availability of one device, site or district over the window.</summary>
public sealed record ApiUptimeRow(string Key, string? Name, long ObservedSeconds, long OnlineSeconds, double? AvailabilityPercent, int Outages);

public sealed record ApiUptime(DateTimeOffset From, DateTimeOffset To, string By, IReadOnlyList<ApiUptimeRow> Rows);

public sealed record AcknowledgeRequest(string? Note);

public sealed record AssignRequest(string? Assignee);

public sealed record CommentRequest(string Text);

public sealed record ResolveRequest(string? Note);
