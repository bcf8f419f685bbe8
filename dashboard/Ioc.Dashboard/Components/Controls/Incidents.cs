using Ioc.Contract.Alerts;

namespace Ioc.Dashboard.Components.Controls;

/// <summary>One line of the console: a group alert with the device alerts folded under it, or an alert standing alone.</summary>
public sealed record Incident(Alert Head, IReadOnlyList<Alert> Children)
{
    public long Id => Head.Id;
}

/// <summary>
/// The console's order and folding. Most severe first, then firing before acknowledged before resolved, then newest first
/// (the id breaks ties, so equal alerts never swap between two renders).
/// </summary>
public static class Incidents
{
    public static int Compare(Alert? x, Alert? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? 1 : -1;
        }

        var bySeverity = y.Severity.CompareTo(x.Severity);
        if (bySeverity != 0)
        {
            return bySeverity;
        }

        var byState = StateRank(x.State).CompareTo(StateRank(y.State));
        if (byState != 0)
        {
            return byState;
        }

        var byTime = y.FiredAt.CompareTo(x.FiredAt);
        return byTime != 0 ? byTime : y.Id.CompareTo(x.Id);
    }

    public static IComparer<Alert> Comparer { get; } = Comparer<Alert>.Create(Compare);

    /// <summary>
    /// Folds the device alerts under their group alert (a child whose parent is not in <paramref name="alerts"/> stands
    /// alone) and orders the incidents by their head, the children among themselves.
    /// </summary>
    public static List<Incident> Fold(IReadOnlyCollection<Alert> alerts)
    {
        var ids = new HashSet<long>(alerts.Count);
        foreach (var alert in alerts)
        {
            ids.Add(alert.Id);
        }

        var children = new Dictionary<long, List<Alert>>();
        var heads = new List<Alert>();
        foreach (var alert in alerts)
        {
            if (alert.ParentId is { } parent && parent != alert.Id && ids.Contains(parent))
            {
                if (!children.TryGetValue(parent, out var list))
                {
                    list = [];
                    children[parent] = list;
                }

                list.Add(alert);
            }
            else
            {
                heads.Add(alert);
            }
        }

        heads.Sort(Compare);
        var incidents = new List<Incident>(heads.Count);
        foreach (var head in heads)
        {
            if (children.TryGetValue(head.Id, out var list))
            {
                list.Sort(Compare);
                incidents.Add(new Incident(head, list));
            }
            else
            {
                incidents.Add(new Incident(head, []));
            }
        }

        return incidents;
    }

    /// <summary>
    /// Keeps the lines an operator is pointing at where they were: incidents already shown keep their places among
    /// themselves (their content is fresh: an acknowledged line does not slide away from under the pointer), incidents that
    /// are gone leave, and new ones are put in before the first shown line they sort ahead of, so nothing is held back.
    /// </summary>
    public static List<Incident> Hold(List<Incident> sorted, IReadOnlyList<long> shownOrder)
    {
        var place = new Dictionary<long, int>(shownOrder.Count);
        for (var i = 0; i < shownOrder.Count; i++)
        {
            place.TryAdd(shownOrder[i], i);
        }

        var kept = new List<Incident>(sorted.Count);
        var fresh = new List<Incident>();
        foreach (var incident in sorted)
        {
            (place.ContainsKey(incident.Id) ? kept : fresh).Add(incident);
        }

        kept.Sort((a, b) => place[a.Id].CompareTo(place[b.Id]));
        foreach (var incident in fresh)
        {
            var at = kept.FindIndex(k => place.ContainsKey(k.Id) && Compare(incident.Head, k.Head) < 0);
            kept.Insert(at < 0 ? kept.Count : at, incident);
        }

        return kept;
    }

    private static int StateRank(AlertState state) => state switch
    {
        AlertState.Firing => 0,
        AlertState.Acknowledged => 1,
        _ => 2,
    };
}
