using System.Collections.Concurrent;
using Ioc.Dashboard.Configuration;
using Microsoft.Extensions.Options;

namespace Ioc.Dashboard.Security;

/// <summary>
/// The per-address lock: after <see cref="DashboardOptions.MaxFailedLogins"/> failures in a row from one client address
/// against one account, that address is refused for that account for <see cref="DashboardOptions.LockoutDuration"/>; other
/// addresses (the real user at their desk) still log in. Kept in memory: a restart forgets it, the account-wide lock in the
/// store (<see cref="DashboardOptions.AccountLockoutThreshold"/>) does not.
/// </summary>
public sealed class LoginThrottle
{
    /// <summary>Entries kept at most; past it, ended locks and stale counters are dropped first.</summary>
    internal const int MaxEntries = 10_000;
    private readonly ConcurrentDictionary<(string User, string Source), Entry> _entries = new();
    private readonly DashboardOptions _options;
    private readonly TimeProvider _time;

    public LoginThrottle(IOptions<DashboardOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
    }

    /// <summary>Counters and locks held now.</summary>
    internal int Count => _entries.Count;

    public bool IsLocked(string userName, string source) =>
        _entries.TryGetValue(Key(userName, source), out var entry) && entry.LockedUntil is { } until && until > _time.GetUtcNow();

    /// <summary>Counts a failure; true when this one locks the address out of the account.</summary>
    public bool RecordFailure(string userName, string source)
    {
        var now = _time.GetUtcNow();
        if (_entries.Count >= MaxEntries)
        {
            Prune(now);
        }

        var entry = _entries.AddOrUpdate(
            Key(userName, source),
            _ => new Entry(1, null, now),
            (_, old) =>
            {
                var failures = old.LockedUntil is { } until && until <= now ? 1 : old.Failures + 1;
                return new Entry(failures, null, now);
            });
        if (entry.Failures < _options.MaxFailedLogins)
        {
            return false;
        }

        _entries[Key(userName, source)] = new Entry(0, now + _options.LockoutDuration, now);
        return true;
    }

    public void RecordSuccess(string userName, string source) => _entries.TryRemove(Key(userName, source), out _);

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, entry) in _entries)
        {
            if (entry.LockedUntil is { } until ? until <= now : entry.LastFailure + _options.LockoutDuration <= now)
            {
                _entries.TryRemove(key, out _);
            }
        }

        // Still full (an attacker with very many addresses): forget the oldest counters rather than grow without bound.
        foreach (var key in _entries.OrderBy(e => e.Value.LastFailure).Take(Math.Max(0, _entries.Count - (MaxEntries / 2))).Select(e => e.Key).ToList())
        {
            _entries.TryRemove(key, out _);
        }
    }

    private static (string, string) Key(string userName, string source) => (userName.ToUpperInvariant(), source);

    private sealed record Entry(int Failures, DateTimeOffset? LockedUntil, DateTimeOffset LastFailure);
}
