using Ioc.Alerting.Rules;
using Ioc.Contract.Alerts;

namespace Ioc.Alerting.Service;

/// <summary>Reads and the engine's commands behind one interface, for code in the engine's process.</summary>
public sealed class AlertService(IAlertQueries queries, AlertCommands commands) : IAlertService
{
    public IReadOnlyList<AlertRule> Rules => queries.Rules;

    public Task<IReadOnlyList<Alert>> ListOpenAsync(AlertFilter? filter, CancellationToken cancellationToken) => queries.ListOpenAsync(filter, cancellationToken);

    public Task<IReadOnlyList<Alert>> ListAsync(AlertFilter filter, CancellationToken cancellationToken) => queries.ListAsync(filter, cancellationToken);

    public Task<AlertDetails?> GetAsync(long id, CancellationToken cancellationToken) => queries.GetAsync(id, cancellationToken);

    public Task<IReadOnlyList<Silence>> ListSilencesAsync(bool includeExpired, CancellationToken cancellationToken) => queries.ListSilencesAsync(includeExpired, cancellationToken);

    public Task<IReadOnlyList<DeviceHealth>> ListDeviceHealthAsync(CancellationToken cancellationToken) => queries.ListDeviceHealthAsync(cancellationToken);

    public Task<AlertStatistics> GetStatisticsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) => queries.GetStatisticsAsync(from, to, cancellationToken);

    public Task<Alert> AcknowledgeAsync(long id, string user, string? note, CancellationToken cancellationToken) => commands.AcknowledgeAsync(id, user, note, cancellationToken);

    public Task<Alert> UnacknowledgeAsync(long id, string user, CancellationToken cancellationToken) => commands.UnacknowledgeAsync(id, user, cancellationToken);

    public Task<Alert> AssignAsync(long id, string? assignee, string user, CancellationToken cancellationToken) => commands.AssignAsync(id, assignee, user, cancellationToken);

    public Task<AlertComment> CommentAsync(long id, string user, string text, CancellationToken cancellationToken) => commands.CommentAsync(id, user, text, cancellationToken);

    public Task<Alert> ResolveAsync(long id, string user, string? note, CancellationToken cancellationToken) => commands.ResolveAsync(id, user, note, cancellationToken);

    public Task<Silence> CreateSilenceAsync(SilenceRequest request, string user, CancellationToken cancellationToken) => commands.CreateSilenceAsync(request, user, cancellationToken);

    public Task<Silence> EndSilenceAsync(long id, string user, CancellationToken cancellationToken) => commands.EndSilenceAsync(id, user, cancellationToken);
}
