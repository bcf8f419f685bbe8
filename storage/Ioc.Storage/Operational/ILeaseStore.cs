namespace Ioc.Storage.Operational;

/// <summary>Who holds a lease, where it can be reached, and until when (by the database's clock).</summary>
public sealed record Lease(string Holder, string? Endpoint, DateTimeOffset ExpiresAt);

/// <summary>
/// Named leases for "one active X among several processes" (the alert evaluator among collectors). Expiry is decided by
/// the database's clock in one atomic statement, so the processes' clocks do not matter.
/// </summary>
public interface ILeaseStore
{
    /// <summary>
    /// Takes the lease when it is free or expired, or renews it when <paramref name="holder"/> holds it already; in both
    /// cases it then expires <paramref name="ttl"/> from now. False when another holder's lease is still valid.
    /// </summary>
    Task<bool> TryAcquireAsync(string name, string holder, string? endpoint, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Gives the lease up if <paramref name="holder"/> holds it (no effect otherwise).</summary>
    Task ReleaseAsync(string name, string holder, CancellationToken cancellationToken);

    /// <summary>The current holder, or null when nobody holds the lease or it has expired.</summary>
    Task<Lease?> GetAsync(string name, CancellationToken cancellationToken);
}
