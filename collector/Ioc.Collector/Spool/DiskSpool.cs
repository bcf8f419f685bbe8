using System.Globalization;
using System.Text;
using Ioc.Collector.Configuration;
using Ioc.Contract;
using Ioc.Contract.Model;
using Ioc.Storage.LineProtocol;
using Microsoft.Extensions.Options;

namespace Ioc.Collector.Spool;

/// <summary>One spooled batch on disk.</summary>
public sealed record SpoolSegment(long Sequence, string Path, long Bytes);

/// <summary>
/// A bounded, ordered, crash-safe queue of batches on disk, used while the store is down. Each batch is one
/// file of line protocol (the store's own idempotent format), written to a temporary name, flushed to the
/// device, then renamed, so a crash leaves either the whole batch or nothing.
/// </summary>
public sealed class DiskSpool
{
    private const string Extension = ".spool";
    private readonly Lock _lock = new();
    private readonly string _folder;
    private readonly long _maxBytes;
    private readonly SortedDictionary<long, SpoolSegment> _segments = [];
    private long _nextSequence;
    private long _bytes;

    public DiskSpool(IOptions<CollectorOptions> options)
    {
        _folder = Path.GetFullPath(options.Value.SpoolPath);
        _maxBytes = options.Value.SpoolMaxBytes;
        Directory.CreateDirectory(_folder);
        foreach (var stale in Directory.EnumerateFiles(_folder, "*.tmp"))
        {
            File.Delete(stale);
        }

        foreach (var file in Directory.EnumerateFiles(_folder, "*" + Extension))
        {
            if (long.TryParse(Path.GetFileNameWithoutExtension(file), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            {
                var segment = new SpoolSegment(sequence, file, new FileInfo(file).Length);
                _segments[sequence] = segment;
                _bytes += segment.Bytes;
                _nextSequence = Math.Max(_nextSequence, sequence + 1);
            }
        }
    }

    public string Folder => _folder;

    public int PendingSegments
    {
        get
        {
            lock (_lock)
            {
                return _segments.Count;
            }
        }
    }

    public long PendingBytes => Interlocked.Read(ref _bytes);

    public bool IsEmpty => PendingSegments == 0;

    /// <summary>Appends a batch durably; false when the spool is full (the caller must hold on to the batch).</summary>
    public async Task<bool> TryAppendAsync(IReadOnlyList<Point> points, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(LineProtocolEncoder.Encode(points));
        long sequence;
        lock (_lock)
        {
            if (_bytes + body.Length > _maxBytes)
            {
                return false;
            }

            sequence = _nextSequence++;
            _bytes += body.Length;
        }

        var path = Path.Combine(_folder, sequence.ToString("D16", CultureInfo.InvariantCulture) + Extension);
        var temporary = path + ".tmp";
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(body, cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path);
        }
        catch
        {
            Interlocked.Add(ref _bytes, -body.Length);
            File.Delete(temporary);
            throw;
        }

        lock (_lock)
        {
            _segments[sequence] = new SpoolSegment(sequence, path, body.Length);
        }

        return true;
    }

    public SpoolSegment? Oldest()
    {
        lock (_lock)
        {
            return _segments.Count == 0 ? null : _segments.First().Value;
        }
    }

    public static async Task<IReadOnlyList<Point>> ReadAsync(SpoolSegment segment, CancellationToken cancellationToken)
    {
        var text = await File.ReadAllTextAsync(segment.Path, Encoding.UTF8, cancellationToken);
        return LineProtocolParser.Parse(text)
            .Select(line => new Point(line.Measurement, [.. line.Tags], [.. line.Fields], line.TimestampNs ?? 0))
            .ToList();
    }

    public void Remove(SpoolSegment segment)
    {
        File.Delete(segment.Path);
        lock (_lock)
        {
            if (_segments.Remove(segment.Sequence))
            {
                _bytes -= segment.Bytes;
            }
        }
    }
}
