using Ioc.Alerting.Hosting;

namespace Ioc.Alerting.Engine;

/// <summary>Counts fire/clear transitions per rule and subject within a window: too many means flapping.</summary>
public sealed class FlapDetector(FlappingOptions options)
{
    private readonly Dictionary<string, Queue<DateTimeOffset>> _transitions = new(StringComparer.Ordinal);

    /// <summary>Records a transition; returns the number of transitions within the window, this one included.</summary>
    public int Record(string key, DateTimeOffset now)
    {
        if (!_transitions.TryGetValue(key, out var queue))
        {
            queue = new Queue<DateTimeOffset>();
            _transitions[key] = queue;
        }

        queue.Enqueue(now);
        Prune(queue, now);
        return queue.Count;
    }

    public bool IsFlapping(int transitions) => transitions >= options.Transitions;

    /// <summary>The last transition, if any is remembered.</summary>
    public DateTimeOffset? LastTransition(string key) =>
        _transitions.TryGetValue(key, out var queue) && queue.Count > 0 ? queue.Last() : null;

    /// <summary>Forgets keys with no transition inside the window.</summary>
    public void Sweep(DateTimeOffset now)
    {
        List<string>? stale = null;
        foreach (var (key, queue) in _transitions)
        {
            Prune(queue, now);
            if (queue.Count == 0)
            {
                (stale ??= []).Add(key);
            }
        }

        foreach (var key in stale ?? [])
        {
            _transitions.Remove(key);
        }
    }

    private void Prune(Queue<DateTimeOffset> queue, DateTimeOffset now)
    {
        var window = TimeSpan.FromTicks(Math.Max(options.Window.Ticks, options.QuietPeriod.Ticks));
        while (queue.Count > 0 && now - queue.Peek() > window)
        {
            queue.Dequeue();
        }
    }
}
