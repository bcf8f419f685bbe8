using System.Buffers;
using System.Text;
using CsCheck;
using Ioc.Collector.Syslog;
using Ioc.Contract;

namespace Ioc.Collector.Tests.Syslog;

/// <summary>
/// Properties of the syslog parser, framer and mapper: every byte sequence is accepted or refused with a named reason
/// (never an exception), valid messages round-trip, framing does not depend on how TCP splits the bytes, and every
/// accepted message maps to an event the contract's decoder accepts. Seeds are random per run and printed on failure.
/// </summary>
public class SyslogPropertyTests
{
    private static readonly MessageDecoder Decoder = new(new ContractOptions());
    private static readonly SyslogEventMapper Mapper = new(new ContractOptions());
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private static readonly Gen<string> Printable = Gen.String[Gen.Char['!', '~'], 1, 20];

    private static readonly Gen<string> SdValue = Gen.String[Gen.OneOf(Gen.Char[' ', '~'], Gen.Const('ơ'), Gen.Const('ữ'), Gen.Const('"'), Gen.Const('\\'), Gen.Const(']')), 0, 20];

    private static readonly Gen<string> SdName = Gen.String[Gen.Char['a', 'z'], 1, 12];

    private static readonly Gen<(int Pri, string Host, string App, string Message, List<(string Id, List<(string Name, string Value)> Params)> Sd)> Rfc5424 =
        Gen.Select(
            Gen.Int[0, 191],
            Printable,
            Printable,
            Gen.String[Gen.OneOf(Gen.Char[' ', '~'], Gen.Const('ệ')), 0, 60],
            Gen.Select(SdName, Gen.Select(SdName, SdValue).List[0, 3]).List[0, 3]);

    private static readonly Gen<byte[]> SyslogShaped = Gen.OneOf(
        Gen.Byte.Array[0, 200],
        Gen.Select(Gen.Int[0, 300], Gen.Byte.Array[0, 100]).Select((pri, tail) => Encoding.ASCII.GetBytes($"<{pri}>").Concat(tail).ToArray()),
        Gen.String[Gen.OneOf(Gen.Char[' ', '~'], Gen.Const('\n'), Gen.Const('\0'), Gen.Const('ư')), 0, 120].Select(s => Encoding.UTF8.GetBytes("<13>1 " + s)),
        Gen.String[Gen.OneOf(Gen.Char[' ', '~'], Gen.Const('[')), 0, 120].Select(s => Encoding.UTF8.GetBytes("<13>1 2026-12-01T00:00:00Z h a p m " + s)),
        Gen.String[Gen.OneOf(Gen.Char['0', '9'], Gen.Char['A', 'Z'], Gen.Const(' '), Gen.Const(':'), Gen.Const('*'), Gen.Const('%'), Gen.Const('-')), 0, 80].Select(s => Encoding.UTF8.GetBytes("<189>" + s)));

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("]", "\\]", StringComparison.Ordinal);

    [Fact]
    public void Parse_AnyBytes_IsAcceptedOrRefusedWithAReason() =>
        SyslogShaped.Sample(
            bytes =>
            {
                var result = SyslogParser.Parse(bytes, 150);
                return result.IsAccepted ? result.Message!.Facility is >= 0 and <= 23 && result.Message.Severity is >= 0 and <= 7 : result.Reason.Name().Length > 0 && result.Detail.Length > 0;
            },
            iter: 20_000);

    [Fact]
    public void Parse_GeneratedRfc5424_RoundTrips() =>
        Rfc5424.Sample(
            m =>
            {
                var sd = m.Sd.Count == 0 ? "-" : string.Concat(m.Sd.Select(e => $"[{e.Id}{string.Concat(e.Params.Select(p => $" {p.Name}=\"{Escape(p.Value)}\""))}]"));
                var text = $"<{m.Pri}>1 2026-12-01T08:30:00.25+07:00 {m.Host} {m.App} - - {sd} {m.Message}";
                var result = SyslogParser.Parse(Encoding.UTF8.GetBytes(text));
                var parsed = result.Message;
                return parsed is not null
                    && parsed.Facility == m.Pri >> 3 && parsed.Severity == (m.Pri & 7)
                    && parsed.Hostname == (m.Host == "-" ? null : m.Host) && parsed.AppName == (m.App == "-" ? null : m.App)
                    && parsed.Message == m.Message.TrimEnd('\n', '\r')
                    && parsed.StructuredData.Count == m.Sd.Count
                    && parsed.StructuredData.Zip(m.Sd).All(p => p.First.Id == p.Second.Id && p.First.Parameters.Select(x => (x.Key, x.Value)).SequenceEqual(p.Second.Params));
            },
            iter: 5_000);

    [Fact]
    public void Map_AnyAcceptedMessage_IsAnEventTheContractAccepts() =>
        SyslogShaped.Sample(
            bytes =>
            {
                var result = SyslogParser.Parse(bytes);
                if (!result.IsAccepted)
                {
                    return true;
                }

                var payload = SyslogEventMapper.ToPayload(Mapper.Map(result.Message!, "udp://127.0.0.1:514", "udp"), Now);
                var decoded = Decoder.Decode("ioc/v1/dc-tinh/firewall/FW-1/event", payload, Now);
                return decoded.IsAccepted;
            },
            iter: 10_000,
            print: bytes => Encoding.UTF8.GetString(bytes));

    [Fact]
    public void Frame_AnySplitOfMixedFraming_GivesTheSameMessages()
    {
        var messages = Gen.String[Gen.OneOf(Gen.Char['!', '~'], Gen.Const(' '), Gen.Const('ả')), 1, 40].Select(s => "<13>" + s).List[1, 20];
        Gen.Select(messages, Gen.Bool.Array[20], Gen.Int[1, 17].Array[1, 30]).Sample(
            (list, octet, cuts) =>
            {
                var stream = new MemoryStream();
                for (var i = 0; i < list.Count; i++)
                {
                    var bytes = Encoding.UTF8.GetBytes(list[i]);
                    if (octet[i])
                    {
                        stream.Write(Encoding.ASCII.GetBytes($"{bytes.Length} "));
                        stream.Write(bytes);
                    }
                    else
                    {
                        stream.Write(bytes);
                        stream.WriteByte((byte)'\n');
                    }
                }

                return Frames(stream.ToArray(), cuts, 4096).SequenceEqual(list);
            },
            iter: 3_000);
    }

    [Fact]
    public void Frame_AnyBytes_NeverThrowsAndConsumesEverything() =>
        Gen.Select(Gen.Byte.Array[0, 300], Gen.Int[1, 50].Array[1, 10]).Sample(
            (bytes, cuts) =>
            {
                Frames(bytes, cuts, 64);
                return true;
            },
            iter: 10_000);

    [Fact]
    public void Frame_OverLongOctetCountedFrame_IsSkippedWholeAndTheNextIsRead()
    {
        var bytes = Encoding.ASCII.GetBytes("100 " + new string('x', 100) + "5 <13>a");

        var framer = new SyslogFramer(50);
        var buffer = new ReadOnlySequence<byte>(bytes);
        Assert.Equal(FrameStatus.Error, framer.TryRead(ref buffer, true, out _, out var error));
        Assert.Contains("limit is 50", error, StringComparison.Ordinal);
        Assert.Equal(FrameStatus.Frame, framer.TryRead(ref buffer, true, out var frame, out _));
        Assert.Equal("<13>a", Encoding.ASCII.GetString(frame.ToArray()));
    }

    [Fact]
    public void Frame_OverLongLine_IsSkippedToTheNextLf()
    {
        var framer = new SyslogFramer(10);
        var first = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("<13>aaaaaaaaaaaaaaaa"));
        Assert.Equal(FrameStatus.Error, framer.TryRead(ref first, false, out _, out _));
        var second = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("aaaa\n<13>b\n"));
        Assert.Equal(FrameStatus.Frame, framer.TryRead(ref second, false, out var frame, out _));
        Assert.Equal("<13>b", Encoding.ASCII.GetString(frame.ToArray()));
    }

    /// <summary>Feeds the bytes in chunks of the given sizes (cycled) as a socket would, and collects the frames.</summary>
    private static List<string> Frames(byte[] bytes, int[] cuts, int maxBytes)
    {
        var framer = new SyslogFramer(maxBytes);
        var frames = new List<string>();
        var pending = new List<byte>();
        var offset = 0;
        var c = 0;
        while (true)
        {
            var take = Math.Min(cuts[c++ % cuts.Length], bytes.Length - offset);
            pending.AddRange(bytes.AsSpan(offset, take).ToArray());
            offset += take;
            var completed = offset >= bytes.Length;
            var buffer = new ReadOnlySequence<byte>(pending.ToArray());
            while (true)
            {
                var status = framer.TryRead(ref buffer, completed, out var frame, out _);
                if (status == FrameStatus.NeedMore)
                {
                    break;
                }

                if (status == FrameStatus.Frame)
                {
                    frames.Add(Encoding.UTF8.GetString(frame.ToArray()));
                }
            }

            pending = [.. buffer.ToArray()];
            if (completed)
            {
                return frames;
            }
        }
    }
}
