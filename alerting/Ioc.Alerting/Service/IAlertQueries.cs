using Ioc.Alerting.Rules;
using Ioc.Contract.Alerts;

namespace Ioc.Alerting.Service;

/// <summary>
/// What anyone may read about alerts: plain reads of the operational store, usable in any process (the engine's, a
/// dashboard's). Nothing here changes alert state; commands go to the engine through <see cref="IAlertCommands"/>.
/// </summary>
public interface IAlertQueries
{
    /// <summary>Open alerts (firing or acknowledged), most severe and newest first.</summary>
    Task<IReadOnlyList<Alert>> ListOpenAsync(AlertFilter? filter, CancellationToken cancellationToken);

    /// <summary>Alerts in any state (history), most severe and newest first.</summary>
    Task<IReadOnlyList<Alert>> ListAsync(AlertFilter filter, CancellationToken cancellationToken);

    /// <summary>One alert with its children, audit trail, comments and notifications; null if there is none.</summary>
    Task<AlertDetails?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>Silences in force or scheduled; with <paramref name="includeExpired"/>, the most recent 1,000 of all.</summary>
    Task<IReadOnlyList<Silence>> ListSilencesAsync(bool includeExpired, CancellationToken cancellationToken);

    /// <summary>Every device the engine has heard from, with its health (online / offline / silent) and district, as last persisted (up to 30 s behind; live changes come through <see cref="IAlertChanges"/>).</summary>
    Task<IReadOnlyList<DeviceHealth>> ListDeviceHealthAsync(CancellationToken cancellationToken);

    /// <summary>The rules in force (as loaded from the rules file), for the dashboard's rule list and silence forms.</summary>
    IReadOnlyList<AlertRule> Rules { get; }

    /// <summary>MTTA and MTTR per severity and per site for alerts fired in [from, to).</summary>
    Task<AlertStatistics> GetStatisticsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}
