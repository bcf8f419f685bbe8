using Ioc.Alerting.Rules;
using Ioc.Alerting.Rules.Catalogue;
using Ioc.Storage.Operational;
using Ioc.Contract.Alerts;

namespace Ioc.Alerting.Service;

/// <summary>Reads over the operational store; safe in any process (it changes nothing).</summary>
public sealed class AlertQueries(RuleCatalog rules, IAlertStore store, INotificationStore notifications, IDeviceStore devices, TimeProvider time) : IAlertQueries
{
    public IReadOnlyList<AlertRule> Rules => rules.Current.Rules;

    public Task<IReadOnlyList<DeviceHealth>> ListDeviceHealthAsync(CancellationToken cancellationToken) => devices.LoadAsync(cancellationToken);

    public Task<IReadOnlyList<Alert>> ListOpenAsync(AlertFilter? filter, CancellationToken cancellationToken) =>
        store.ListAsync(filter ?? new AlertFilter(), openOnly: true, cancellationToken);

    public Task<IReadOnlyList<Alert>> ListAsync(AlertFilter filter, CancellationToken cancellationToken) =>
        store.ListAsync(filter, openOnly: false, cancellationToken);

    public async Task<AlertDetails?> GetAsync(long id, CancellationToken cancellationToken)
    {
        var alert = await store.GetAsync(id, cancellationToken);
        if (alert is null)
        {
            return null;
        }

        var sent = new List<NotificationDetails>();
        foreach (var notification in await notifications.ForAlertAsync(id, cancellationToken))
        {
            sent.Add(new NotificationDetails(notification, await notifications.AttemptsAsync(notification.Id, cancellationToken)));
        }

        return new AlertDetails(
            alert,
            await store.ChildrenAsync(id, cancellationToken),
            await store.AuditAsync(id, cancellationToken),
            await store.CommentsAsync(id, cancellationToken),
            sent);
    }

    public Task<IReadOnlyList<Silence>> ListSilencesAsync(bool includeExpired, CancellationToken cancellationToken) =>
        store.ListSilencesAsync(time.GetUtcNow(), includeExpired, cancellationToken);

    public Task<AlertStatistics> GetStatisticsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        to <= from ? throw new AlertCommandException("'to' must be after 'from'", isInvalidInput: true) : store.StatisticsAsync(from, to, cancellationToken);
}
