using Ioc.Alerting.Model;
using Ioc.Alerting.Storage;

namespace Ioc.Alerting.Engine;

/// <summary>The silences in force, re-read from the store every few seconds (the dashboard may add them from another process).</summary>
public sealed class SilenceCache(AlertStore store)
{
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(5);
    private IReadOnlyList<Silence> _silences = [];
    private DateTimeOffset _loadedAt = DateTimeOffset.MinValue;
    private volatile bool _invalid = true;

    public void Invalidate() => _invalid = true;

    public async Task<IReadOnlyList<Silence>> CurrentAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_invalid || now - _loadedAt >= RefreshEvery || now < _loadedAt)
        {
            _invalid = false;
            _silences = await store.ListSilencesAsync(now, includeExpired: false, cancellationToken);
            _loadedAt = now;
        }

        return _silences;
    }

    public static Silence? Matching(IReadOnlyList<Silence> silences, Alert alert, DateTimeOffset now)
    {
        foreach (var silence in silences)
        {
            if (silence.IsActiveAt(now) && silence.Matches(alert))
            {
                return silence;
            }
        }

        return null;
    }
}
