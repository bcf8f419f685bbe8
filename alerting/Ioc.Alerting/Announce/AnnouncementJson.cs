using System.Text.Json;
using System.Text.Json.Serialization;
using Ioc.Contract.Alerts;
using Ioc.Storage.Operational;

namespace Ioc.Alerting.Announce;

/// <summary>The JSON shapes of announcements and webhook payloads (camelCase, enums as lowercase strings).</summary>
public static class AnnouncementJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static byte[] Change(AlertChange change) => JsonSerializer.SerializeToUtf8Bytes(
        new { change = change.Kind, actor = change.Actor, at = change.At, alert = change.Alert }, Options);

    public static byte[] Alert(Alert alert) => JsonSerializer.SerializeToUtf8Bytes(alert, Options);

    public static byte[] Health(DeviceHealth health) => JsonSerializer.SerializeToUtf8Bytes(
        new
        {
            site = health.Site,
            deviceType = health.DeviceType,
            deviceId = health.DeviceId,
            district = health.District,
            state = HealthStates.Name(health.State),
            lastSeen = health.LastSeen,
            since = health.Since,
        },
        Options);
}
