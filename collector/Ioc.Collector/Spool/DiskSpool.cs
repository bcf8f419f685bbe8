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
    private volatile bool _full;
    private volatile string? _fault;

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

    public long MaxBytes => _maxBytes;

    /// <summary>The last append was refused for want of room (cleared by the next append that fits or by a replayed segment).</summary>
    public bool IsFull => _full;

    /// <summary>Why the last append failed on the disk (no space, folder gone, I/O error); null once an append succeeds.</summary>
    public string? Fault => _fault;

    /// <summary>Appends a batch durably; false when the spool is full (the caller must hold on to the batch).</summary>
    public async Task<bool> TryAppendAsync(IReadOnlyList<Point> points, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(LineProtocolEncoder.Encode(points));
        long sequence;
        lock (_lock)
        {
            if (_bytes + body.Length > _maxBytes)
            {
                _full = true;
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
        catch (Exception ex)
        {
            Interlocked.Add(ref _bytes, -body.Length);
            _fault = $"{ex.GetType().Name}: {ex.Message}";
            try
            {
                File.Delete(temporary);
            }
            catch (Exception)
            {
                // The folder itself is what failed (gone, replaced, read-only): nothing to clean up.
            }

            throw;
        }

        lock (_lock)
        {
            _segments[sequence] = new SpoolSegment(sequence, path, body.Length);
        }

        _full = false;
        _fault = null;

        return true;
    }

    /// <summary>
    /// After a failed append, checks whether the folder takes a file again (writes, flushes and deletes a probe), so a
    /// repaired disk stops being reported without waiting for the next outage. True when the spool is usable.
    /// </summary>
    public bool Probe()
    {
        if (_fault is null)
        {
            return true;
        }

        var probe = Path.Combine(_folder, "probe.tmp");
        try
        {
            Directory.CreateDirectory(_folder);
            using (var stream = new FileStream(probe, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.WriteByte(0);
                stream.Flush(flushToDisk: true);
            }

            File.Delete(probe);
            _fault = null;
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _fault = $"{ex.GetType().Name}: {ex.Message}";
            return false;
        }
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
                _full = false;
            }
        }
    }
}
