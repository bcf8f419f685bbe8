using Ioc.Contract.Alerts;

namespace Ioc.Alerting.Announce;

/// <summary>Told of every alert change and device-health change. Must return at once (queue, never block).</summary>
public interface IAlertAnnouncer
{
    void AlertChanged(AlertChange change);

    void HealthChanged(DeviceHealth health);
}
