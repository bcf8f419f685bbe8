using Ioc.Alerting.Notifications;
using Ioc.Alerting.Service;
using Microsoft.Extensions.DependencyInjection;

namespace Ioc.Dashboard.Alerts;

/// <summary>
/// The alert engine as the pages reach it: reads from the store (<see cref="IAlertQueries"/>) and commands to the engine
/// (<see cref="IAlertCommands"/>: in process when the engine runs here, over HTTP otherwise). The host registers them
/// (<c>AddAlerting</c>, or <c>AddAlertingQueries</c> + <c>AddHttpAlertCommands</c>); without them the alert pages say
/// the engine is not connected instead of showing an empty, misleading list.
/// </summary>
public sealed class AlertAccess(IServiceProvider services)
{
    public IAlertQueries? Queries { get; } = services.GetService<IAlertQueries>();

    public IAlertCommands? Commands { get; } = services.GetService<IAlertCommands>();

    /// <summary>Test messages to a notification channel (in process, or through the engine's host).</summary>
    public INotificationTester? NotificationTester { get; } = services.GetService<INotificationTester>();
}
