using Ioc.Alerting.Engine;
using Ioc.Alerting.Rules;
using Ioc.Alerting.Rules.Catalogue;
using Ioc.Alerting.Text;
using Ioc.Contract.Alerts;
using Ioc.Storage.Operational;

namespace Ioc.Alerting.Service;

/// <summary>
/// The engine's commands, run in the engine's process: each is a read-modify-write of the alert in one store transaction,
/// audited and published (feed, MQTT, notifications). Other processes reach these through the engine's HTTP endpoints
/// (<see cref="Hosting.AlertCommandEndpoints"/>).
/// </summary>
public sealed class AlertCommands(
    RuleCatalog rules,
    AlertTextRenderer texts,
    IAlertStore store,
    SilenceCache silences,
    SilenceChecker silenceChecker,
    AlertChangePublisher publisher,
    TimeProvider time) : IAlertCommands
{
    private const int MaxCommentLength = 4000;

    /// <summary>Acknowledges the alert and, for a group alert, every firing device alert folded under it (one command, each audited).</summary>
    public async Task<Alert> AcknowledgeAsync(long id, string user, string? note, CancellationToken cancellationToken)
    {
        var acknowledged = await ChangeAsync(id, user, AlertChangeKind.Acknowledged, (a, now) => a.State switch
        {
            AlertState.Firing => new AlertMutation(a with { State = AlertState.Acknowledged, AcknowledgedAt = now, AcknowledgedBy = user }, [(user, "acknowledged", note)]),
            _ => throw new AlertCommandException($"alert #{id} is {AlertStates.Name(a.State)}; only a firing alert can be acknowledged"),
        }, cancellationToken);
        await CascadeAsync(acknowledged, user, AlertChangeKind.Acknowledged, (c, now) => c.State == AlertState.Firing
            ? new AlertMutation(c with { State = AlertState.Acknowledged, AcknowledgedAt = now, AcknowledgedBy = user }, [(user, "acknowledged", $"with its group alert #{id}" + (note is null ? string.Empty : ": " + note))])
            : null, cancellationToken);
        return acknowledged;
    }

    /// <summary>
    /// Takes the acknowledgement back: the alert fires again and, for a group alert, so does every acknowledged device
    /// alert folded under it (one command, each audited), as <see cref="AcknowledgeAsync"/> took them along.
    /// </summary>
    public async Task<Alert> UnacknowledgeAsync(long id, string user, CancellationToken cancellationToken)
    {
        var unacknowledged = await ChangeAsync(id, user, AlertChangeKind.Unacknowledged, (a, _) => a.State switch
        {
            AlertState.Acknowledged => new AlertMutation(a with { State = AlertState.Firing, AcknowledgedAt = null, AcknowledgedBy = null }, [(user, "unacknowledged", $"was acknowledged by {a.AcknowledgedBy}")]),
            _ => throw new AlertCommandException($"alert #{id} is {AlertStates.Name(a.State)}; only an acknowledged alert can be unacknowledged"),
        }, cancellationToken);
        await CascadeAsync(unacknowledged, user, AlertChangeKind.Unacknowledged, (c, _) => c.State == AlertState.Acknowledged
            ? new AlertMutation(c with { State = AlertState.Firing, AcknowledgedAt = null, AcknowledgedBy = null }, [(user, "unacknowledged", $"with its group alert #{id}; was acknowledged by {c.AcknowledgedBy}")])
            : null, cancellationToken);
        return unacknowledged;
    }

    public Task<Alert> AssignAsync(long id, string? assignee, string user, CancellationToken cancellationToken)
    {
        var who = string.IsNullOrWhiteSpace(assignee) ? null : assignee.Trim();
        return ChangeAsync(id, user, AlertChangeKind.Assigned, (a, now) => a.IsOpen
            ? new AlertMutation(a with { Assignee = who, AssignedAt = now, AssignedBy = user }, [(user, who is null ? "unassigned" : "assigned", who is null ? $"was {a.Assignee}" : $"to {who}")])
            : throw new AlertCommandException($"alert #{id} is resolved; it cannot be assigned"), cancellationToken);
    }

    public async Task<AlertComment> CommentAsync(long id, string user, string text, CancellationToken cancellationToken)
    {
        RequireUser(user);
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxCommentLength)
        {
            throw new AlertCommandException($"a comment must have 1 to {MaxCommentLength} characters", isInvalidInput: true);
        }

        var alert = await store.GetAsync(id, cancellationToken) ?? throw new AlertNotFoundException($"alert #{id} does not exist");
        var now = time.GetUtcNow();
        var comment = await store.AddCommentAsync(id, user, text.Trim(), now, cancellationToken);
        await publisher.PublishAsync(new AlertChange(AlertChangeKind.Commented, alert, user, now), cancellationToken);
        return comment;
    }

    /// <summary>
    /// Resolves the alert by hand. A group alert takes the device alerts folded under it along (one command, each audited);
    /// a device alert leaves its group alert's count.
    /// </summary>
    public async Task<Alert> ResolveAsync(long id, string user, string? note, CancellationToken cancellationToken)
    {
        var resolved = await ChangeAsync(id, user, AlertChangeKind.Resolved, (a, now) => a.IsOpen
            ? new AlertMutation(a with { State = AlertState.Resolved, ResolvedAt = now, ResolvedBy = user }, [(user, "resolved", note ?? "resolved by hand")])
            : throw new AlertCommandException($"alert #{id} is already resolved"), cancellationToken);
        await CascadeAsync(resolved, user, AlertChangeKind.Resolved, (c, now) => c.IsOpen
            ? new AlertMutation(c with { State = AlertState.Resolved, ResolvedAt = now, ResolvedBy = user }, [(user, "resolved", $"with its group alert #{id}" + (note is null ? string.Empty : ": " + note))])
            : null, cancellationToken);
        if (resolved.ParentId is { } parentId)
        {
            await IncidentCount.RecountAsync(store, rules.Current, texts, parentId, time.GetUtcNow(), cancellationToken);
        }

        return resolved;
    }

    public async Task<Silence> CreateSilenceAsync(SilenceRequest request, string user, CancellationToken cancellationToken)
    {
        RequireUser(user);
        ArgumentNullException.ThrowIfNull(request);
        var now = time.GetUtcNow();
        // The same check the dashboard runs, against what the engine knows: nothing invalid is stored.
        var problems = await silenceChecker.CheckAsync(request, now, cancellationToken);
        if (problems.Count > 0)
        {
            throw new AlertCommandException(string.Join("; ", problems.Select(p => p.Describe(silenceChecker.Limits))), isInvalidInput: true);
        }

        var silence = new Silence
        {
            Kind = request.Kind,
            RuleId = Blank(request.RuleId),
            Site = Blank(request.Site),
            District = Blank(request.District),
            DeviceType = Blank(request.DeviceType),
            DeviceId = Blank(request.DeviceId),
            StartsAt = request.StartsAt,
            EndsAt = request.EndsAt,
            Recurrence = request.Recurrence,
            Reason = request.Reason.Trim(),
            CreatedBy = user,
            CreatedAt = now,
        };
        silence = await store.InsertSilenceAsync(silence, cancellationToken);
        silences.Invalidate();
        await ApplySilencesAsync(now, cancellationToken);
        return silence;
    }

    public async Task<Silence> EndSilenceAsync(long id, string user, CancellationToken cancellationToken)
    {
        RequireUser(user);
        var now = time.GetUtcNow();
        var silence = await store.EndSilenceAsync(id, user, now, cancellationToken) ?? throw new AlertNotFoundException($"silence #{id} does not exist");
        silences.Invalidate();
        await ApplySilencesAsync(now, cancellationToken);
        return silence;
    }

    /// <summary>Marks open alerts silenced or not at once, so the dashboard shows the effect without waiting for the engine.</summary>
    private async Task ApplySilencesAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var active = await silences.CurrentAsync(now, cancellationToken);
        foreach (var alert in await store.ListOpenAsync(cancellationToken))
        {
            var silence = SilenceCache.Matching(active, alert, now);
            if ((silence is not null) == alert.Silenced)
            {
                continue;
            }

            var changed = await store.UpdateAsync(alert.Id, now, a => a.Silenced != (silence is not null)
                ? new AlertMutation(a with { Silenced = silence is not null }, [(silence?.CreatedBy ?? "engine", silence is null ? "unsilenced" : "silenced", silence is null ? "silence ended" : $"#{silence.Id}: {silence.Reason}")])
                : null, cancellationToken);
            if (changed is not null)
            {
                await publisher.PublishAsync(new AlertChange(silence is null ? AlertChangeKind.Unsilenced : AlertChangeKind.Silenced, changed, silence?.CreatedBy ?? "engine", now), cancellationToken);
            }
        }
    }

    /// <summary>Applies a command already applied to a group alert to each open child still linked to it, and announces each.</summary>
    private async Task CascadeAsync(Alert parent, string user, AlertChangeKind kind, Func<Alert, DateTimeOffset, AlertMutation?> change, CancellationToken cancellationToken)
    {
        foreach (var child in await store.ChildrenAsync(parent.Id, cancellationToken))
        {
            if (!child.IsOpen)
            {
                continue;
            }

            var now = time.GetUtcNow();
            var updated = await store.UpdateAsync(child.Id, now, c => c.ParentId == parent.Id ? change(c, now) : null, cancellationToken);
            if (updated is not null)
            {
                await publisher.PublishAsync(new AlertChange(kind, updated, user, now), cancellationToken);
            }
        }
    }

    private async Task<Alert> ChangeAsync(long id, string user, AlertChangeKind kind, Func<Alert, DateTimeOffset, AlertMutation> change, CancellationToken cancellationToken)
    {
        RequireUser(user);
        var now = time.GetUtcNow();
        var updated = await store.UpdateAsync(id, now, a => change(a, now), cancellationToken)
            ?? throw new AlertNotFoundException($"alert #{id} does not exist");
        await publisher.PublishAsync(new AlertChange(kind, updated, user, now), cancellationToken);
        return updated;
    }

    private static void RequireUser(string user)
    {
        if (string.IsNullOrWhiteSpace(user))
        {
            throw new AlertCommandException("the user making the change must be named", isInvalidInput: true);
        }
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
