namespace Ioc.Storage;

/// <summary>What a store computes per bucket.</summary>
public enum AggregateFunction
{
    Mean,
    Min,
    Max,
    Sum,
    Count,
    Last,
}

/// <summary>
/// Buckets of one numeric field of one measurement over [From, To). Buckets start at <see cref="From"/> and are
/// <see cref="Every"/> wide; each carries one value per function in <see cref="Functions"/> (one round trip for a chart's
/// min/mean/max band). Points whose field is not a number (string, boolean) are not counted.
/// </summary>
public sealed record AggregateQuery(string Measurement, string Field, DateTimeOffset From, DateTimeOffset To, TimeSpan Every)
{
    /// <summary>The most buckets one series may span: <c>(To - From) / Every</c> above this is refused.</summary>
    public const int MaxBucketsPerSeries = 100_000;

    /// <summary>The largest <see cref="Limit"/> a caller may ask for.</summary>
    public const int MaxLimit = 100_000;

    public IReadOnlyList<AggregateFunction> Functions { get; init; } = [AggregateFunction.Mean];

    /// <summary>Exact tag matches.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>Tag keys to group by besides time; each bucket carries its group's values (a missing tag is left out).</summary>
    public IReadOnlyList<string> GroupBy { get; init; } = [];

    /// <summary>The most buckets returned, over all groups.</summary>
    public int Limit { get; init; } = 10_000;

    /// <summary>Throws <see cref="ArgumentException"/> when the query is unbounded or meaningless.</summary>
    public void Validate()
    {
        if (Every <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Every must be positive (was {Every}).", nameof(Every));
        }

        if (To <= From)
        {
            throw new ArgumentException($"To ({To:O}) must be after From ({From:O}).", nameof(To));
        }

        if ((To - From).Ticks / Every.Ticks > MaxBucketsPerSeries)
        {
            throw new ArgumentException($"{To - From} in buckets of {Every} is more than {MaxBucketsPerSeries} buckets; widen Every.", nameof(Every));
        }

        if (Functions.Count == 0)
        {
            throw new ArgumentException("At least one function is needed.", nameof(Functions));
        }

        QueryLimits.Check(Limit, MaxLimit, nameof(Limit));
    }
}

/// <summary>One bucket: its start, one value per requested function (same order), and the group's tag values.</summary>
public sealed record AggregateBucket(DateTimeOffset Time, IReadOnlyList<double> Values, IReadOnlyDictionary<string, string> Group);

/// <summary>
/// Which series exist: of one measurement or all (<see cref="Measurement"/> null), optionally matching exact tags,
/// projected on <see cref="Keys"/> (all tags when null) and made distinct.
/// </summary>
public sealed record SeriesQuery
{
    public const int MaxLimit = 100_000;

    public string? Measurement { get; init; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>Tag keys to keep in each result (and to be distinct on, with the measurement); null keeps every tag.</summary>
    public IReadOnlyList<string>? Keys { get; init; }

    public int Limit { get; init; } = 10_000;

    public void Validate() => QueryLimits.Check(Limit, MaxLimit, nameof(Limit));
}

/// <summary>A series (or a projection of several): its measurement and tags; a tag it lacks is left out.</summary>
public sealed record SeriesInfo(string Measurement, IReadOnlyDictionary<string, string> Tags)
{
    public string? GetTag(string key) => Tags.GetValueOrDefault(key);
}

/// <summary>
/// The newest point of each series of one measurement in [From, To) that has at least one of <see cref="Fields"/>
/// (any field when empty); only those fields are returned.
/// </summary>
public sealed record LatestQuery(string Measurement, DateTimeOffset From, DateTimeOffset To)
{
    public const int MaxLimit = 100_000;

    public IReadOnlyList<string> Fields { get; init; } = [];

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>The most series answered.</summary>
    public int Limit { get; init; } = 10_000;

    public void Validate()
    {
        if (To <= From)
        {
            throw new ArgumentException($"To ({To:O}) must be after From ({From:O}).", nameof(To));
        }

        QueryLimits.Check(Limit, MaxLimit, nameof(Limit));
    }
}

internal static class QueryLimits
{
    public static void Check(int limit, int max, string name)
    {
        if (limit < 1 || limit > max)
        {
            throw new ArgumentOutOfRangeException(name, limit, $"{name} must be between 1 and {max}.");
        }
    }

    /// <summary>A stable order for results of every adapter: measurement, then tags by key, ordinal.</summary>
    public static string SortKey(string measurement, IReadOnlyDictionary<string, string> tags) =>
        string.Join('\u0001', tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => t.Key + '\u0002' + t.Value).Prepend(measurement));
}
