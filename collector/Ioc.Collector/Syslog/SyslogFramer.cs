using System.Buffers;

namespace Ioc.Collector.Syslog;

/// <summary>What <see cref="SyslogFramer.TryRead"/> found at the start of the buffer.</summary>
public enum FrameStatus
{
    /// <summary>More bytes are needed (nothing consumed that matters).</summary>
    NeedMore,

    /// <summary>A complete message.</summary>
    Frame,

    /// <summary>A frame broke the framing or the size limit; it is skipped and the stream goes on after it.</summary>
    Error,
}

/// <summary>
/// RFC 6587 framing of syslog over a stream (TCP, and TLS per RFC 5425), per connection, both methods on one stream:
/// octet-counting (<c>LEN SP MSG</c>, a frame that starts with a non-zero digit, digits and a space) and non-transparent
/// framing (the message ends at LF; NUL is taken as a trailer too, as some senders use it). A frame over the size limit
/// is skipped whole (the count is known, or up to the next LF) and reported once. Pure: bytes in, frames out.
/// </summary>
public sealed class SyslogFramer(int maxBytes)
{
    private const int MaxLengthDigits = 9;
    private long _skip;
    private bool _discardLine;

    /// <summary>
    /// Reads the next frame from <paramref name="buffer"/> and advances it past what was consumed. At the end of the
    /// stream (<paramref name="completed"/>) bytes without a trailer are the last frame.
    /// </summary>
    public FrameStatus TryRead(ref ReadOnlySequence<byte> buffer, bool completed, out ReadOnlySequence<byte> frame, out string error)
    {
        frame = default;
        error = string.Empty;
        while (true)
        {
            if (_skip > 0)
            {
                var skipped = Math.Min(_skip, buffer.Length);
                buffer = buffer.Slice(skipped);
                _skip -= skipped;
                if (_skip > 0)
                {
                    return FrameStatus.NeedMore;
                }
            }

            if (_discardLine)
            {
                var end = buffer.PositionOfAny((byte)'\n', 0);
                if (end is null)
                {
                    buffer = buffer.Slice(buffer.End);
                    return FrameStatus.NeedMore;
                }

                buffer = buffer.Slice(buffer.GetPosition(1, end.Value));
                _discardLine = false;
            }

            if (buffer.IsEmpty)
            {
                return FrameStatus.NeedMore;
            }

            var first = buffer.FirstSpan[0];
            if (first is (byte)'\n' or (byte)'\r' or 0 or (byte)' ')
            {
                // Blank lines and stray trailers between frames are not messages.
                buffer = buffer.Slice(1);
                continue;
            }

            if (first is >= (byte)'1' and <= (byte)'9' && TryOctetCount(buffer, out var length, out var headerLength))
            {
                if (length > maxBytes)
                {
                    buffer = buffer.Slice(headerLength);
                    _skip = length;
                    error = $"octet-counted frame of {length} bytes; the limit is {maxBytes} (Ioc:Syslog:MaxMessageBytes)";
                    return FrameStatus.Error;
                }

                if (buffer.Length < headerLength + length)
                {
                    return FrameStatus.NeedMore;
                }

                frame = buffer.Slice(headerLength, length);
                buffer = buffer.Slice(headerLength + length);
                return FrameStatus.Frame;
            }

            var trailer = buffer.PositionOfAny((byte)'\n', 0);
            if (trailer is null)
            {
                if (buffer.Length > maxBytes)
                {
                    buffer = buffer.Slice(buffer.End);
                    _discardLine = !completed;
                    error = $"a line longer than {maxBytes} bytes without a trailer (Ioc:Syslog:MaxMessageBytes); skipped to the next LF";
                    return FrameStatus.Error;
                }

                if (completed)
                {
                    frame = buffer;
                    buffer = buffer.Slice(buffer.End);
                    return FrameStatus.Frame;
                }

                return FrameStatus.NeedMore;
            }

            frame = buffer.Slice(0, trailer.Value);
            buffer = buffer.Slice(buffer.GetPosition(1, trailer.Value));
            if (frame.Length > maxBytes)
            {
                error = $"a line of {frame.Length} bytes; the limit is {maxBytes} (Ioc:Syslog:MaxMessageBytes)";
                frame = default;
                return FrameStatus.Error;
            }

            return FrameStatus.Frame;
        }
    }

    /// <summary>Digits then a space: an octet count. Not enough bytes yet to decide counts as "not octet-counted" only once the digits stop.</summary>
    private static bool TryOctetCount(ReadOnlySequence<byte> buffer, out long length, out int headerLength)
    {
        length = 0;
        headerLength = 0;
        var reader = new SequenceReader<byte>(buffer);
        var digits = 0;
        while (reader.TryRead(out var b))
        {
            if (b is >= (byte)'0' and <= (byte)'9')
            {
                if (++digits > MaxLengthDigits)
                {
                    return false;
                }

                length = (length * 10) + (b - '0');
                continue;
            }

            if (b == (byte)' ')
            {
                headerLength = digits + 1;
                return true;
            }

            return false;
        }

        // Only digits so far: wait for more as an octet count would (a line of digits alone ends at its LF anyway).
        headerLength = 0;
        return false;
    }
}

internal static class SequenceExtensions
{
    public static SequencePosition? PositionOfAny(this ReadOnlySequence<byte> buffer, byte a, byte b)
    {
        if (buffer.IsSingleSegment)
        {
            var index = buffer.FirstSpan.IndexOfAny(a, b);
            return index < 0 ? null : buffer.GetPosition(index);
        }

        var position = buffer.Start;
        var start = buffer.Start;
        while (buffer.TryGet(ref position, out var memory))
        {
            var index = memory.Span.IndexOfAny(a, b);
            if (index >= 0)
            {
                return buffer.GetPosition(index, start);
            }

            start = position;
        }

        return null;
    }
}
