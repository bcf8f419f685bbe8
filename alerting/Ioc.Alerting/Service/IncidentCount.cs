using Ioc.Alerting.Evaluation;
using Ioc.Alerting.Rules;
using Ioc.Alerting.Text;
using Ioc.Contract.Alerts;
using Ioc.Storage.Operational;

namespace Ioc.Alerting.Service;

/// <summary>
/// Keeps a group alert's stated count (its <see cref="Alert.Value"/> and the number in its summary) equal to the number of
/// open device alerts folded under it. The composite fires with the count it saw; devices that fall silent afterwards are
/// linked under it and devices that recover or are resolved by hand leave it, so the count is taken again from the store
/// whenever a child joins or leaves.
/// </summary>
public static class IncidentCount
{
    /// <summary>Recounts the open children of <paramref name="parentId"/>; returns the parent when its count changed, else null.</summary>
    public static async Task<Alert?> RecountAsync(IAlertStore store, RuleSet rules, AlertTextRenderer texts, long parentId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var open = (await store.ChildrenAsync(parentId, cancellationToken)).Count(c => c.IsOpen);
        return await store.UpdateAsync(parentId, now, a =>
        {
            if (!a.IsOpen || a.Value == open)
            {
                return null;
            }

            if (!rules.ById.TryGetValue(a.RuleId, out var rule))
            {
                return new AlertMutation(a with { Value = open }, []);
            }

            // The same words the engine used when the group alert fired, with the new count, in both languages.
            var rendered = texts.Render(rule.Summary ?? DefaultSummaries.Composite, rule, Subject.FromAlert(a), open);
            return new AlertMutation(a with { Value = open, Summary = rendered.Summary.Vi, Texts = rendered }, []);
        }, cancellationToken);
    }
}
