using Ioc.Contract.Alerts;

namespace Ioc.Alerting.Service;

/// <summary>
/// The alert engine's commands. The engine is the only writer of alert state: in its own process this is
/// <see cref="AlertCommands"/>; elsewhere <see cref="Remote.HttpAlertCommands"/> sends the same commands to the engine's host.
/// Every command records <c>user</c> and the time in the audit trail and is announced on <see cref="IAlertChanges"/>.
/// A command on the wrong state or with invalid input throws <see cref="AlertCommandException"/>; an unknown id throws
/// <see cref="AlertNotFoundException"/>; an engine that cannot be reached, <see cref="AlertEngineUnavailableException"/>.
/// </summary>
public interface IAlertCommands
{
    /// <summary>Acknowledges a firing alert; on a group alert (district or site down) also every firing device alert under it.</summary>
    Task<Alert> AcknowledgeAsync(long id, string user, string? note, CancellationToken cancellationToken);

    /// <summary>Returns an acknowledged alert to firing (it may escalate again).</summary>
    Task<Alert> UnacknowledgeAsync(long id, string user, CancellationToken cancellationToken);

    /// <summary>Assigns an open alert to a person (null or empty clears the assignment).</summary>
    Task<Alert> AssignAsync(long id, string? assignee, string user, CancellationToken cancellationToken);

    Task<AlertComment> CommentAsync(long id, string user, string text, CancellationToken cancellationToken);

    /// <summary>
    /// Resolves by hand; on a group alert also every open device alert under it. The rule's evaluator stays firing until
    /// its condition clears, so the alert is not raised again meanwhile.
    /// </summary>
    Task<Alert> ResolveAsync(long id, string user, string? note, CancellationToken cancellationToken);

    Task<Silence> CreateSilenceAsync(SilenceRequest request, string user, CancellationToken cancellationToken);

    Task<Silence> EndSilenceAsync(long id, string user, CancellationToken cancellationToken);
}
