using Ioc.Contract.Alerts;
using Ioc.Storage.Operational;

namespace Ioc.Alerting.Engine;

/// <summary>
/// The silences in force, re-read from the store every few seconds (the dashboard may add them from another process) and
/// at once after a local change. Safe to share between the engine loop and the dashboard's threads: the snapshot is
/// swapped as one immutable object.
/// </summary>
public sealed class SilenceCache(IAlertStore store)
{
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(5);
    private Snapshot? _snapshot;

    public void Invalidate() => Volatile.Write(ref _snapshot, null);

    public async Task<IReadOnlyList<Silence>> CurrentAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var snapshot = Volatile.Read(ref _snapshot);
        if (snapshot is null || now - snapshot.LoadedAt >= RefreshEvery || now < snapshot.LoadedAt)
        {
            snapshot = new Snapshot(await store.ListSilencesAsync(now, includeExpired: false, cancellationToken), now);
            Volatile.Write(ref _snapshot, snapshot);
        }

        return snapshot.Silences;
    }

    /// <summary>
    /// The first silence in force at <paramref name="now"/> that matches the alert: within its start and end, and for a
    /// recurring maintenance window only while one of its windows is open (wall-clock time in the window's own zone).
    /// </summary>
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

    private sealed record Snapshot(IReadOnlyList<Silence> Silences, DateTimeOffset LoadedAt);
}
