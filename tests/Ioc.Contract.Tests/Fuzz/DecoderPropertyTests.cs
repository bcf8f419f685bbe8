using CsCheck;
using Ioc.Contract;

namespace Ioc.Contract.Tests.Fuzz;

/// <summary>
/// Property: <see cref="MessageDecoder.Decode"/> returns for every topic and payload (never throws), and what it returns
/// is either storable or a named refusal (<see cref="DecoderInputs.Violation"/>). About 40,000 inputs in all, a few
/// seconds; the seed is random per run and printed with the shrunk input on failure
/// (rerun with <c>CsCheck_Seed</c>). <c>dotnet run -c Release --project bench/Ioc.Bench -- fuzz</c> runs a million.
/// </summary>
public class DecoderPropertyTests
{
    private static readonly MessageDecoder Decoder = new(DecoderInputs.Options);

    private static void Holds(Gen<(string Topic, byte[] Payload)> inputs, long iterations) =>
        inputs.Sample(
            (topic, payload) => DecoderInputs.Violation(Decoder.Decode(topic, payload, DecoderInputs.Now)) is null,
            iter: iterations,
            print: input => DecoderInputs.Show(input.Item1, input.Item2) + " -> " + Describe(input.Item1, input.Item2));

    private static string Describe(string topic, byte[] payload)
    {
        try
        {
            return DecoderInputs.Violation(Decoder.Decode(topic, payload, DecoderInputs.Now)) ?? "ok";
        }
        catch (Exception ex)
        {
            return $"threw {ex.GetType().Name}: {ex.Message}";
        }
    }

    [Fact]
    public void RandomBytes_AreAcceptedOrRefused() => Holds(DecoderInputs.RandomBytes, 8_000);

    [Fact]
    public void RandomJsonAndLineProtocolPunctuation_IsAcceptedOrRefused() => Holds(DecoderInputs.RandomSyntax, 6_000);

    [Fact]
    public void MutatedValidPayloads_AreAcceptedOrRefused() => Holds(DecoderInputs.MutatedPayloads, 14_000);

    [Fact]
    public void HostileValuesInValidShapes_AreAcceptedOrRefused() => Holds(DecoderInputs.HostileValues, 8_000);

    [Fact]
    public void RandomAndMutatedTopics_AreAcceptedOrRefused() => Holds(DecoderInputs.Topics, 4_000);

    [Fact]
    public void ValidSamples_AreAccepted()
    {
        // The mutations start from these; if they were refused, the mutated inputs would test far less.
        Assert.All(DecoderInputs.ValidSamples, sample =>
        {
            var result = Decoder.Decode(sample.Topic, System.Text.Encoding.UTF8.GetBytes(sample.Payload), DecoderInputs.Now);
            Assert.True(result.IsAccepted, $"{sample.Payload}: {result.Rejection}");
        });
    }

    [Fact]
    public void Generators_ReachEveryOutcome()
    {
        // Guards against generators that only ever produce one kind of garbage: across a modest sample the mutated
        // and hostile inputs must be accepted sometimes and refused for several reasons, bad_encoding among them.
        var reasons = new HashSet<RejectReason>();
        var accepted = 0;
        DecoderInputs.All.Sample((topic, payload) =>
        {
            var result = Decoder.Decode(topic, payload, DecoderInputs.Now);
            lock (reasons)
            {
                if (result.IsAccepted)
                {
                    accepted++;
                }
                else
                {
                    reasons.Add(result.Rejection!.Reason);
                }
            }
        }, iter: 4_000);

        Assert.True(accepted > 0, "no generated input was accepted");
        Assert.Contains(RejectReason.BadEncoding, reasons);
        Assert.Contains(RejectReason.BadJson, reasons);
        Assert.Contains(RejectReason.BadLineProtocol, reasons);
        Assert.Contains(RejectReason.BadTimestamp, reasons);
        Assert.Contains(RejectReason.TimestampOutOfRange, reasons);
        Assert.Contains(RejectReason.BadTopic, reasons);
    }
}
