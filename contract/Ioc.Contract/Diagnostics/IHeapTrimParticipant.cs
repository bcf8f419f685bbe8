namespace Ioc.Contract.Diagnostics;

/// <summary>
/// An owner of per-device tables that grow by doubling during a burst (100,000 devices announcing themselves) and keep
/// that slack afterwards. The collector's heap trim (<c>HeapTrimService</c>) calls <see cref="TrimAsync"/> on every
/// registered participant once a burst is over, before its full collection, so the arrays given back are collected
/// with the rest. Called from the trim's own thread: an implementation trims under its owner's lock or posts the
/// trim to its owner (the returned task completes when done); it may decline (owner busy) and complete at once.
/// </summary>
public interface IHeapTrimParticipant
{
    Task TrimAsync(CancellationToken cancellationToken);
}
