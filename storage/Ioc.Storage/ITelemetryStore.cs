using Ioc.Contract.Model;

namespace Ioc.Storage;

/// <summary>
/// Where points are kept. Writes are idempotent: a point with the same series (measurement and tags)
/// and timestamp replaces the earlier one, so a replayed batch never duplicates data.
/// Every read is bounded and computed by the store in its own query language; reads throw
/// <see cref="StoreUnavailableException"/> when the store cannot answer and <see cref="ArgumentException"/> for a query
/// that would be unbounded.
/// </summary>
public interface ITelemetryStore
{
    /// <summary>A short name for logs and figures ("sqlite", "influxdb").</summary>
    string Name { get; }

    /// <summary>Creates the database or schema if needed. Throws <see cref="StoreUnavailableException"/> when the store cannot be reached.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stores a batch. Throws <see cref="StoreUnavailableException"/> when the store cannot take it now (try later)
    /// and <see cref="StoreRejectedException"/> when it refuses some points for good.
    /// </summary>
    Task WriteAsync(IReadOnlyList<Point> points, CancellationToken cancellationToken);

    /// <summary>Reads points of one measurement in a time range, newest last, bounded by <see cref="PointQuery.Limit"/>.</summary>
    Task<IReadOnlyList<Point>> QueryAsync(PointQuery query, CancellationToken cancellationToken);

    /// <summary>Counts points of one measurement in a time range matching the tag filter.</summary>
    Task<long> CountAsync(PointQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Aggregates one numeric field into time buckets computed by the store (InfluxQL <c>GROUP BY time(…)</c>,
    /// SQL <c>GROUP BY</c> on the bucketed timestamp). Empty buckets are omitted; at most <see cref="AggregateQuery.Limit"/>
    /// buckets, ordered by group then time.
    /// </summary>
    Task<IReadOnlyList<AggregateBucket>> AggregateAsync(AggregateQuery query, CancellationToken cancellationToken);

    /// <summary>Distinct tag sets of the stored series (projected on <see cref="SeriesQuery.Keys"/>), at most <see cref="SeriesQuery.Limit"/>.</summary>
    Task<IReadOnlyList<SeriesInfo>> ListSeriesAsync(SeriesQuery query, CancellationToken cancellationToken);

    /// <summary>The newest point of each series of one measurement in a time range, at most <see cref="LatestQuery.Limit"/> series.</summary>
    Task<IReadOnlyList<Point>> LatestAsync(LatestQuery query, CancellationToken cancellationToken);
}

/// <summary>A bounded read: one measurement, a time range [From, To), optional exact tag matches.</summary>
public sealed record PointQuery(string Measurement, DateTimeOffset From, DateTimeOffset To)
{
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    public int Limit { get; init; } = 10_000;
}

/// <summary>The store cannot be reached or answered with a server error; the batch should be kept and retried.</summary>
public sealed class StoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The store refused points for good (type conflict, bad point); retrying the same points will not help.</summary>
public sealed class StoreRejectedException(string message) : Exception(message);
