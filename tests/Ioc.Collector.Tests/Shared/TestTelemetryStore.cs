using System.Collections.Concurrent;
using Ioc.Contract.Model;
using Ioc.Storage;

namespace Ioc.Collector.Tests.Shared;

/// <summary>A store whose answers a test scripts: up, down, or refusing points of one device.</summary>
public sealed class TestTelemetryStore : ITelemetryStore
{
    public ConcurrentQueue<Point> Written { get; } = new();

    public volatile bool Down;

    public string? RefuseDevice { get; set; }

    public int Writes;

    public string Name => "test";

    public Task InitializeAsync(CancellationToken cancellationToken) =>
        Down ? throw new StoreUnavailableException("down at start") : Task.CompletedTask;

    /// <summary>While set and not completed, every write waits for it: a frozen store that neither answers nor fails.</summary>
    public volatile TaskCompletionSource? Frozen;

    /// <summary>Writes begun (including those waiting on <see cref="Frozen"/>); <see cref="Writes"/> counts those that went through.</summary>
    public int Started;

    public async Task WriteAsync(IReadOnlyList<Point> points, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Started);
        if (Frozen is { } frozen)
        {
            await frozen.Task.WaitAsync(cancellationToken);
        }

        Write(points);
    }

    private void Write(IReadOnlyList<Point> points)
    {
        Interlocked.Increment(ref Writes);
        if (Down)
        {
            throw new StoreUnavailableException("store is down");
        }

        if (RefuseDevice is not null && points.Any(p => p.GetTag("device") == RefuseDevice))
        {
            throw new StoreRejectedException($"field type conflict for {RefuseDevice}");
        }

        foreach (var point in points)
        {
            Written.Enqueue(point);
        }
    }

    public Task<IReadOnlyList<Point>> QueryAsync(PointQuery query, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Point>>([.. Written.Where(p => p.Measurement == query.Measurement)]);

    public Task<long> CountAsync(PointQuery query, CancellationToken cancellationToken) =>
        Task.FromResult((long)Written.Count(p => p.Measurement == query.Measurement));

    public Task<IReadOnlyList<AggregateBucket>> AggregateAsync(AggregateQuery query, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the collector never reads aggregates");

    public Task<IReadOnlyList<SeriesInfo>> ListSeriesAsync(SeriesQuery query, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the collector never lists series");

    public Task<IReadOnlyList<Point>> LatestAsync(LatestQuery query, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the collector never reads latest values");
}
