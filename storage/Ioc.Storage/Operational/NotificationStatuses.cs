using Ioc.Contract.Alerts;

namespace Ioc.Storage.Operational;

/// <summary>The words stored for <see cref="NotificationStatus"/> (the same on every provider).</summary>
internal static class NotificationStatuses
{
    public static string Name(NotificationStatus status) => status switch
    {
        NotificationStatus.Pending => "pending",
        NotificationStatus.Delivered => "delivered",
        NotificationStatus.Failed => "failed",
        _ => "suppressed",
    };

    public static NotificationStatus Parse(string text) => text switch
    {
        "pending" => NotificationStatus.Pending,
        "delivered" => NotificationStatus.Delivered,
        "failed" => NotificationStatus.Failed,
        _ => NotificationStatus.Suppressed,
    };
}
