using System.Runtime.InteropServices;
using Ioc.Contract.Model;

namespace Ioc.Storage.Sqlite;

/// <summary>
/// The SQLite store's series key → id cache without a string per series: keyed by a 64-bit hash of the series key
/// (measurement and sorted tags), each slot holding a second, independent 64-bit hash that a lookup must match too
/// (a key collision is a miss: the store asks the database, which keeps the true key). Both come from .NET's
/// per-process randomly seeded <see cref="HashCode"/> (four streams), read straight from the point (allocation-free),
/// so a device choosing its tags cannot aim at another series' slot. 32 bytes per series; bounded: at
/// <c>capacity</c> series it starts again empty (ids are then looked up again, one query per series).
/// </summary>
internal sealed class SeriesIdCache(int capacity)
{
    public const int DefaultCapacity = 1_000_000;

    private readonly Dictionary<ulong, Slot> _ids = [];

    public int Count => _ids.Count;

    /// <summary>Slots the table holds (capacity doubles while it grows).</summary>
    public int Capacity => _ids.Capacity;

    /// <summary>Gives back the slack left by doubling.</summary>
    public void TrimExcess() => _ids.TrimExcess();

    /// <summary>The point's series hash (what <see cref="TryGet"/>, <see cref="Add"/> and <see cref="Remove"/> take).</summary>
    public static SeriesHash HashOf(Point point)
    {
        var a = new HashCode();
        var b = new HashCode();
        var c = new HashCode();
        var d = new HashCode();
        b.Add(0x5BD1E995);
        c.Add(0x27D4EB2F);
        d.Add(0x165667B1);
        Append(point.Measurement, ref a, ref b, ref c, ref d);
        var tags = point.Tags;
        for (var i = 0; i < tags.Count; i++) // indexed: an interface foreach would allocate its enumerator
        {
            var tag = tags[i];
            Append("\u0001", ref a, ref b, ref c, ref d);
            Append(tag.Key, ref a, ref b, ref c, ref d);
            Append("\u0002", ref a, ref b, ref c, ref d);
            Append(tag.Value, ref a, ref b, ref c, ref d);
        }

        return new(
            ((ulong)(uint)b.ToHashCode() << 32) | (uint)a.ToHashCode(),
            ((ulong)(uint)d.ToHashCode() << 32) | (uint)c.ToHashCode());
    }

    public bool TryGet(SeriesHash hash, out long id)
    {
        if (_ids.TryGetValue(hash.Key, out var slot) && slot.Check == hash.Check)
        {
            id = slot.Id;
            return true;
        }

        id = 0;
        return false;
    }

    public void Add(SeriesHash hash, long id)
    {
        if (_ids.Count >= capacity && !_ids.ContainsKey(hash.Key))
        {
            _ids.Clear();
            _ids.TrimExcess();
        }

        _ids[hash.Key] = new Slot(hash.Check, id);
    }

    /// <summary>Forgets a series whose id was learned in a transaction that rolled back.</summary>
    public void Remove(SeriesHash hash)
    {
        if (_ids.TryGetValue(hash.Key, out var slot) && slot.Check == hash.Check)
        {
            _ids.Remove(hash.Key);
        }
    }

    private static void Append(string text, ref HashCode a, ref HashCode b, ref HashCode c, ref HashCode d)
    {
        // The length first: the key's parts stay apart whatever characters they hold (not only because the contract
        // refuses control characters in names and tag values).
        a.Add(text.Length);
        b.Add(text.Length);
        c.Add(text.Length);
        d.Add(text.Length);
        var bytes = MemoryMarshal.AsBytes(text.AsSpan());
        a.AddBytes(bytes);
        b.AddBytes(bytes);
        c.AddBytes(bytes);
        d.AddBytes(bytes);
    }

    private readonly record struct Slot(ulong Check, long Id);
}

/// <summary>Two independent 64-bit hashes of a series key: the cache's key and its collision check.</summary>
internal readonly record struct SeriesHash(ulong Key, ulong Check);
