using Ioc.Contract.Model;
using Ioc.Storage.Sqlite;

namespace Ioc.Storage.Tests;

public sealed class SeriesIdCacheTests
{
    private static Point Point(string measurement, params Tag[] tags) =>
        new(measurement, tags, [new("v", FieldValue.Float(1))], 1);

    [Fact]
    public void HashOf_ReadsThePointWithoutAllocating_AndSeparatesTagBoundaries()
    {
        var point = Point("ups", new Tag("device", "U1"), new Tag("site", "thanh-ha-an-son"));
        SeriesIdCache.HashOf(point); // JIT
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            SeriesIdCache.HashOf(point);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(SeriesIdCache.HashOf(point), SeriesIdCache.HashOf(Point("ups", new Tag("site", "thanh-ha-an-son"), new Tag("device", "U1"))));
        Assert.NotEqual(SeriesIdCache.HashOf(Point("ups", new Tag("a", "bc"))), SeriesIdCache.HashOf(Point("ups", new Tag("ab", "c"))));
        Assert.NotEqual(SeriesIdCache.HashOf(Point("ups", new Tag("a", "b"))), SeriesIdCache.HashOf(Point("upsa", new Tag("", "b"))));
    }

    [Fact]
    public void TryGet_KeyHashAloneIsNotEnough_TheCheckMustMatch()
    {
        var cache = new SeriesIdCache(10);
        var hash = SeriesIdCache.HashOf(Point("ups", new Tag("device", "U1")));
        cache.Add(hash, 42);

        Assert.True(cache.TryGet(hash, out var id));
        Assert.Equal(42, id);
        Assert.False(cache.TryGet(hash with { Check = hash.Check ^ 1 }, out _));

        cache.Remove(hash with { Check = hash.Check ^ 1 }); // another series with the same key hash: not this one's slot
        Assert.True(cache.TryGet(hash, out _));
        cache.Remove(hash);
        Assert.False(cache.TryGet(hash, out _));
    }

    [Fact]
    public void Add_AtCapacity_StartsAgainEmpty()
    {
        var cache = new SeriesIdCache(3);
        var hashes = Enumerable.Range(0, 4).Select(i => SeriesIdCache.HashOf(Point("ups", new Tag("device", $"U{i}")))).ToArray();
        for (var i = 0; i < 3; i++)
        {
            cache.Add(hashes[i], i);
        }

        cache.Add(hashes[0], 0); // already there: no reset
        Assert.Equal(3, cache.Count);
        cache.Add(hashes[3], 3);
        Assert.Equal(1, cache.Count);
        Assert.True(cache.TryGet(hashes[3], out var id));
        Assert.Equal(3, id);
        Assert.False(cache.TryGet(hashes[0], out _));
    }
}
