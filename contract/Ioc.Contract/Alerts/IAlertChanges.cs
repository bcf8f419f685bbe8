namespace Ioc.Contract.Alerts;

/// <summary>
/// A subscription to alert and device-health changes made by the alert engine (the single writer of alert state).
/// In one process it is the engine's in-process feed; across processes it is the operational store's change feed
/// (PostgreSQL <c>LISTEN/NOTIFY</c>). Handlers run on the publishing thread: keep them short.
/// </summary>
public interface IAlertChanges
{
    IDisposable Subscribe(Action<AlertChange>? onAlert, Action<DeviceHealth>? onHealth = null);
}
