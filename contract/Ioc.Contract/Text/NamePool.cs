using System.Collections.Concurrent;
using System.Text.Json;

namespace Ioc.Contract.Text;

/// <summary>
/// One string per distinct short name (site, device type, device id, metric name) instead of a new one per message:
/// the decoder reads the same few thousand names on every message, and each copy would be garbage a moment later.
/// Looked up by span, so a name already seen costs no allocation. Bounded: after <see cref="Capacity"/> distinct names
/// (a hostile or misconfigured fleet inventing names) new ones are returned as plain strings and not kept.
/// Thread-safe.
/// </summary>
public sealed class NamePool
{
    private readonly ConcurrentDictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private int _count;

    public NamePool(int capacity)
    {
        Capacity = capacity;
        _lookup = _names.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The pool the contract decoder uses: room for 400,000 names (100,000 devices and their sites, types and metrics).</summary>
    public static NamePool Shared { get; } = new(400_000);

    public int Capacity { get; }

    public int Count => Volatile.Read(ref _count);

    public string Get(ReadOnlySpan<char> name)
    {
        if (_lookup.TryGetValue(name, out var known))
        {
            return known;
        }

        var created = name.ToString();
        if (Volatile.Read(ref _count) < Capacity && _names.TryAdd(created, created))
        {
            Interlocked.Increment(ref _count);
        }

        return created;
    }

    /// <summary>The current JSON string token (a property name or value), pooled when it is short, unescaped ASCII.</summary>
    public string Get(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence || reader.ValueSpan.Length > Names.MaxKeyLength)
        {
            return reader.GetString()!;
        }

        var utf8 = reader.ValueSpan;
        Span<char> chars = stackalloc char[utf8.Length];
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] >= 0x80)
            {
                return reader.GetString()!;
            }

            chars[i] = (char)utf8[i];
        }

        return Get(chars);
    }
}
