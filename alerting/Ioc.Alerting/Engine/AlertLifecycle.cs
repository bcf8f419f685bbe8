using Ioc.Alerting.Evaluation;
using Ioc.Alerting.Hosting;
using Ioc.Contract.Alerts;
using Ioc.Alerting.Rules;
using Ioc.Alerting.Rules.Catalogue;
using Ioc.Alerting.Service;
using Ioc.Storage.Operational;
using Ioc.Alerting.Text;

namespace Ioc.Alerting.Engine;

/// <summary>
/// Turns evaluator signals into stored alerts: one open alert per rule and subject (a repeat bumps its counter), flapping
/// held in one state, silences marked, device alerts linked under their district alert (whose count follows them:
/// <see cref="IncidentCount"/>); and, on each tick, settles
/// flapping alerts, follows silences starting and ending, and escalates unacknowledged alerts.
/// </summary>
public sealed class AlertLifecycle(
    RuleCatalog catalog,
    IAlertStore store,
    SilenceCache silences,
    FlapDetector flaps,
    AlertChangePublisher publisher,
    AlertingOptions options,
    AlertTextRenderer texts)
{
    public const string EngineActor = "engine";
    private (RuleSet Rules, Dictionary<string, CompositeLink[]> Links) _parents = (catalog.Current, BuildParentLinks(catalog.Current));

    /// <summary>The engine's rules now (the catalogue's); the composite links are rebuilt when they change.</summary>
    private RuleSet Rules => catalog.Current;

    private Dictionary<string, CompositeLink[]> ParentLinks
    {
        get
        {
            var rules = catalog.Current;
            if (!ReferenceEquals(_parents.Rules, rules))
            {
                _parents = (rules, BuildParentLinks(rules));
            }

            return _parents.Links;
        }
    }

    /// <summary>Resolves an open alert whose rule was deleted or disabled, with the reason in its history.</summary>
    public Task<Alert?> ResolveForRuleRemovalAsync(long id, DateTimeOffset now, string reason, CancellationToken cancellationToken) =>
        ResolveAsync(id, now, EngineActor, reason, cancellationToken);

    /// <summary>Applies one signal; returns the alert as stored (opened, repeated, held or resolved), or null when nothing changed.</summary>
    public async Task<Alert?> ApplyAsync(AlertSignal signal, CancellationToken cancellationToken)
    {
        var key = signal.Rule.Id + "|" + signal.Subject.Key;
        var open = await store.FindOpenAsync(signal.Rule.Id, signal.Subject.Key, cancellationToken);
        return signal.Firing
            ? await FireAsync(signal, key, open, cancellationToken)
            : open is null ? null : await ClearAsync(signal, key, open, cancellationToken);
    }

    private async Task<Alert?> FireAsync(AlertSignal signal, string key, Alert? open, CancellationToken cancellationToken)
    {
        var now = signal.At;
        var rendered = await texts.RenderAsync(signal, cancellationToken);
        if (open is not null)
        {
            var wasHeld = !open.ConditionActive;
            var transitions = wasHeld ? flaps.Record(key, now) : 0;
            var repeated = await store.UpdateAsync(open.Id, now, a => new AlertMutation(
                a with
                {
                    RepeatCount = a.RepeatCount + 1,
                    LastFiredAt = now,
                    ConditionActive = true,
                    Value = signal.Value ?? a.Value,
                    Summary = rendered.Summary.Vi,
                    Texts = rendered,
                    Flapping = a.Flapping || flaps.IsFlapping(transitions),
                },
                [(EngineActor, "repeated", wasHeld ? "condition returned while held open (flapping)" : "condition fired again while open")]), cancellationToken);
            if (repeated is not null)
            {
                await publisher.PublishAsync(new AlertChange(AlertChangeKind.Repeated, repeated, EngineActor, now), cancellationToken);
            }

            return repeated;
        }

        var flapping = flaps.IsFlapping(flaps.Record(key, now));
        var alert = new Alert
        {
            Id = 0,
            RuleId = signal.Rule.Id,
            RuleName = signal.Rule.Name.Vi,
            Kind = RuleKinds.Name(signal.Rule.Kind),
            SubjectKey = signal.Subject.Key,
            Subject = signal.Subject.Display,
            Severity = signal.Rule.Severity,
            State = AlertState.Firing,
            Site = signal.Subject.Site,
            District = signal.Subject.District,
            DeviceType = signal.Subject.DeviceType,
            DeviceId = signal.Subject.DeviceId,
            Summary = rendered.Summary.Vi,
            Texts = rendered,
            Value = signal.Value,
            Labels = signal.Subject.Labels,
            FiredAt = now,
            LastFiredAt = now,
            Flapping = flapping,
            UpdatedAt = now,
        };
        var silence = SilenceCache.Matching(await silences.CurrentAsync(now, cancellationToken), alert, now);
        alert = alert with { Silenced = silence is not null, ParentId = await FindParentAsync(signal.Rule.Id, alert, cancellationToken) };
        var detail = rendered.Summary.Vi + (silence is null ? string.Empty : $" (silenced by #{silence.Id}: {silence.Reason})")
            + (alert.ParentId is { } parent ? $" (grouped under #{parent})" : string.Empty);
        alert = await store.InsertAsync(alert, EngineActor, "fired", detail, cancellationToken);
        await publisher.PublishAsync(new AlertChange(AlertChangeKind.Fired, alert, EngineActor, now), cancellationToken);
        if (flapping)
        {
            await publisher.PublishAsync(new AlertChange(AlertChangeKind.FlappingStarted, alert, EngineActor, now), cancellationToken);
        }

        if (signal.Rule.Kind == RuleKind.Composite)
        {
            await LinkChildrenAsync(signal.Rule, alert, now, cancellationToken);
        }
        else if (alert.ParentId is { } parentId)
        {
            await IncidentCount.RecountAsync(store, Rules, texts, parentId, now, cancellationToken);
        }

        return alert;
    }

    private async Task<Alert?> ClearAsync(AlertSignal signal, string key, Alert open, CancellationToken cancellationToken)
    {
        var now = signal.At;
        var transitions = flaps.Record(key, now);
        if (open.Flapping || flaps.IsFlapping(transitions))
        {
            var started = !open.Flapping;
            var held = await store.UpdateAsync(open.Id, now, a => new AlertMutation(
                a with { ConditionActive = false, Flapping = true, Value = signal.Value ?? a.Value },
                [(EngineActor, started ? "flapping" : "held", $"{transitions} state changes within {Durations.Format(options.Flapping.Window)}: held open until quiet for {Durations.Format(options.Flapping.QuietPeriod)}")]), cancellationToken);
            if (held is not null && started)
            {
                await publisher.PublishAsync(new AlertChange(AlertChangeKind.FlappingStarted, held, EngineActor, now), cancellationToken);
            }

            return held;
        }

        var cleared = await texts.RenderAsync(signal, cancellationToken);
        return await ResolveAsync(open.Id, now, EngineActor, "condition cleared: " + cleared.Summary.Vi, cancellationToken);
    }

    private async Task<Alert?> ResolveAsync(long id, DateTimeOffset now, string actor, string detail, CancellationToken cancellationToken)
    {
        var resolved = await store.UpdateAsync(id, now, a => a.IsOpen
            ? new AlertMutation(a with { State = AlertState.Resolved, ResolvedAt = now, ResolvedBy = actor, ConditionActive = false }, [(actor, "resolved", detail)])
            : null, cancellationToken);
        if (resolved is not null)
        {
            await publisher.PublishAsync(new AlertChange(AlertChangeKind.Resolved, resolved, actor, now), cancellationToken);
            if (resolved.Kind == RuleKinds.Name(RuleKind.Composite))
            {
                await UngroupAsync(resolved, now, cancellationToken);
            }
            else if (resolved.ParentId is { } parentId)
            {
                await IncidentCount.RecountAsync(store, Rules, texts, parentId, now, cancellationToken);
            }
        }

        return resolved;
    }

    /// <summary>The group recovered but some of its devices did not: they stand alone again, and are notified as such.</summary>
    private async Task UngroupAsync(Alert parent, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var child in await store.ChildrenAsync(parent.Id, cancellationToken))
        {
            if (!child.IsOpen)
            {
                continue;
            }

            var ungrouped = await store.UpdateAsync(child.Id, now, a => a.IsOpen && a.ParentId == parent.Id
                ? new AlertMutation(a with { ParentId = null }, [(EngineActor, "ungrouped", $"alert #{parent.Id} resolved; this one is still open")])
                : null, cancellationToken);
            if (ungrouped is not null)
            {
                await publisher.PublishAsync(new AlertChange(AlertChangeKind.Ungrouped, ungrouped, EngineActor, now), cancellationToken);
            }
        }
    }

    /// <summary>Time-driven upkeep: flapping alerts that went quiet, silences that began or ended, escalations due. Returns the alerts still open.</summary>
    public async Task<IReadOnlyList<Alert>> MaintainAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        flaps.Sweep(now);
        var open = await store.ListOpenAsync(cancellationToken);
        var active = await silences.CurrentAsync(now, cancellationToken);
        var stillOpen = new List<Alert>(open.Count);
        foreach (var alert in open)
        {
            var current = alert;
            if (current.Flapping)
            {
                var last = flaps.LastTransition(current.RuleId + "|" + current.SubjectKey) ?? current.UpdatedAt;
                if (now - last >= options.Flapping.QuietPeriod)
                {
                    var settled = await SettleAsync(current, now, cancellationToken);
                    if (settled is { IsOpen: false })
                    {
                        continue;
                    }

                    current = settled ?? current;
                }
            }

            current = await FollowSilencesAsync(current, active, now, cancellationToken) ?? current;
            current = await EscalateAsync(current, now, cancellationToken) ?? current;
            stillOpen.Add(current);
        }

        return stillOpen;
    }

    private async Task<Alert?> SettleAsync(Alert alert, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var settled = await store.UpdateAsync(alert.Id, now, a => a.Flapping
            ? new AlertMutation(a with { Flapping = false }, [(EngineActor, "flapping ended", a.ConditionActive ? "stable, still firing" : "stable, condition clear")])
            : null, cancellationToken);
        if (settled is null)
        {
            return null;
        }

        await publisher.PublishAsync(new AlertChange(AlertChangeKind.FlappingEnded, settled, EngineActor, now), cancellationToken);
        return settled.ConditionActive
            ? settled
            : await ResolveAsync(settled.Id, now, EngineActor, "condition clear since flapping ended", cancellationToken);
    }

    private async Task<Alert?> FollowSilencesAsync(Alert alert, IReadOnlyList<Silence> active, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var silence = SilenceCache.Matching(active, alert, now);
        if ((silence is not null) == alert.Silenced)
        {
            return null;
        }

        var changed = await store.UpdateAsync(alert.Id, now, a => a.IsOpen && a.Silenced != (silence is not null)
            ? new AlertMutation(a with { Silenced = silence is not null }, [(silence?.CreatedBy ?? EngineActor, silence is null ? "unsilenced" : "silenced", silence is null ? "no silence in force" : $"#{silence.Id} {silence.Kind.ToString().ToLowerInvariant()}: {silence.Reason}")])
            : null, cancellationToken);
        if (changed is not null)
        {
            await publisher.PublishAsync(new AlertChange(silence is null ? AlertChangeKind.Unsilenced : AlertChangeKind.Silenced, changed, EngineActor, now), cancellationToken);
        }

        return changed;
    }

    private async Task<Alert?> EscalateAsync(Alert alert, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var levels = options.Escalation.Levels;
        if (alert.State != AlertState.Firing || alert.Silenced || alert.ParentId is not null || alert.EscalationLevel >= levels.Count
            || !options.Escalation.Escalates(alert.Severity) || now - alert.FiredAt < levels[alert.EscalationLevel].After)
        {
            return null;
        }

        var escalated = await store.UpdateAsync(alert.Id, now, a =>
        {
            if (a.State != AlertState.Firing || a.EscalationLevel >= levels.Count || now - a.FiredAt < levels[a.EscalationLevel].After)
            {
                return null;
            }

            var level = levels[a.EscalationLevel];
            var name = string.IsNullOrEmpty(level.Name) ? $"level {a.EscalationLevel + 1}" : level.Name;
            return new AlertMutation(a with { EscalationLevel = a.EscalationLevel + 1, EscalatedAt = now }, [(EngineActor, "escalated", $"to {name}: not acknowledged after {Durations.Format(level.After)}")]);
        }, cancellationToken);
        if (escalated is not null)
        {
            await publisher.PublishAsync(new AlertChange(AlertChangeKind.Escalated, escalated, EngineActor, now), cancellationToken);
        }

        return escalated;
    }

    private async Task<long?> FindParentAsync(string ruleId, Alert child, CancellationToken cancellationToken)
    {
        if (!ParentLinks.TryGetValue(ruleId, out var links))
        {
            return null;
        }

        foreach (var link in links)
        {
            var group = link.Level == GroupLevel.District ? child.District : child.Site;
            if (group is null)
            {
                continue;
            }

            var parent = await store.FindOpenAsync(link.CompositeRuleId, Subject.ForGroup(link.Level, group).Key, cancellationToken);
            if (parent is not null)
            {
                return parent.Id;
            }
        }

        return null;
    }

    private async Task LinkChildrenAsync(AlertRule composite, Alert parent, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var group = composite.GroupLevel == GroupLevel.District ? parent.District : parent.Site;
        if (group is null)
        {
            return;
        }

        var ids = await store.LinkChildrenAsync(parent.Id, composite.ChildRuleId!, composite.GroupLevel == GroupLevel.District ? "district" : "site", group, now, cancellationToken);
        foreach (var id in ids)
        {
            if (await store.GetAsync(id, cancellationToken) is { } child)
            {
                await publisher.PublishAsync(new AlertChange(AlertChangeKind.Grouped, child, EngineActor, now), cancellationToken);
            }
        }

        await IncidentCount.RecountAsync(store, Rules, texts, parent.Id, now, cancellationToken);
    }

    private static Dictionary<string, CompositeLink[]> BuildParentLinks(RuleSet rules) =>
        rules.Rules.Where(r => r.Kind == RuleKind.Composite)
            .GroupBy(r => r.ChildRuleId!)
            .ToDictionary(g => g.Key, g => g.Select(r => new CompositeLink(r.Id, r.GroupLevel)).ToArray(), StringComparer.Ordinal);

    private sealed record CompositeLink(string CompositeRuleId, GroupLevel Level);
}
