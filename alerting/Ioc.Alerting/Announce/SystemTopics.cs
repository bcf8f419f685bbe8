using System.Globalization;
using Ioc.Contract.Alerts;
using Ioc.Contract;

namespace Ioc.Alerting.Announce;

/// <summary>Topics under <c>ioc/v1/_system/</c> where Ioc announces alerts and device health (see docs/alerting.md).</summary>
public static class SystemTopics
{
    /// <summary>Every alert change, not retained: <c>ioc/v1/_system/alerts/events</c>.</summary>
    public const string AlertEvents = Topics.SystemPrefix + "alerts/events";

    /// <summary>Retained snapshot of each open alert; an empty retained message removes it once resolved.</summary>
    public static string OpenAlert(long id) => string.Create(CultureInfo.InvariantCulture, $"{Topics.SystemPrefix}alerts/open/{id}");

    /// <summary>Retained health of one device.</summary>
    public static string Health(DeviceHealth health) => $"{Topics.SystemPrefix}health/{health.Site}/{health.DeviceType}/{health.DeviceId}";
}
