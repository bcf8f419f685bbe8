using Ioc.Collector.Configuration;
using Ioc.Collector.Pipeline;
using Ioc.Collector.Tests.Shared;
using Ioc.Contract;

namespace Ioc.Collector.Tests.Pipeline;

/// <summary>Defence in depth: if the decoder ever throws, that one message is dead-lettered and the pipeline goes on.</summary>
public class DecoderFaultTests
{
    private static readonly long Ms = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds();
    private static readonly MessageDecoder Real = new(new ContractOptions());

    private static string Payload(int i) => "{\"ts\":" + (Ms + i) + ",\"metrics\":{\"seq\":" + i + "}}";

    /// <summary>The real decoder, except that it throws for device BOOM, as a decoder bug would.</summary>
    private static DecodeResult ThrowsForBoom(InboundMessage message) =>
        message.Topic.Contains("/BOOM/", StringComparison.Ordinal)
            ? throw new InvalidOperationException("decoder bug planted by the test")
            : Real.Decode(message.Topic, message.Payload, message.ReceivedAt);

    [Fact]
    public async Task DecoderThrowing_DeadLettersAndAcknowledgesThatMessage_AndTheNextIsStillStored()
    {
        var store = new TestTelemetryStore();
        await using var pipeline = new PipelineHarness(store, ThrowsForBoom, new CollectorOptions { BatchSize = 1 });
        await pipeline.StartAsync();

        await pipeline.SendAsync("ioc/v1/dc/ups/A/telemetry", Payload(1));
        await pipeline.SendAsync("ioc/v1/dc/ups/BOOM/telemetry", Payload(2));
        await pipeline.SendAsync("ioc/v1/dc/ups/B/telemetry", Payload(3));

        await Wait.UntilAsync(() => pipeline.Acks.Count == 3 || pipeline.BatcherTask!.IsCompleted, "three acknowledgements");
        Assert.False(pipeline.BatcherTask!.IsCompleted, $"the batching stage stopped: {pipeline.BatcherTask.Exception?.InnerException}");
        // Two writers: batches of one message may be acknowledged in either order.
        Assert.Equal(["ioc/v1/dc/ups/A/telemetry", "ioc/v1/dc/ups/B/telemetry", "ioc/v1/dc/ups/BOOM/telemetry"], pipeline.Acks.Select(a => a.Topic).Order(StringComparer.Ordinal));
        Assert.Equal(["A", "B"], store.Written.Select(p => p.GetTag("device")!).Order());
        var letter = Assert.Single(await pipeline.DeadLetters.ListAsync(10, null, CancellationToken.None));
        Assert.Equal("decoder_fault", letter.Reason);
        Assert.Equal("ioc/v1/dc/ups/BOOM/telemetry", letter.Topic);
        Assert.Contains("InvalidOperationException", letter.Detail, StringComparison.Ordinal);
        Assert.Equal(Payload(2), System.Text.Encoding.UTF8.GetString(letter.PayloadHead));
        Assert.Equal(1, pipeline.Metrics.Rejected(RejectReason.DecoderFault));
        Assert.Equal(1, pipeline.Metrics.RejectedByReason()["decoder_fault"]);
        Assert.Equal(2, pipeline.Metrics.Accepted);
    }

    [Fact]
    public async Task DecoderThrowingForEveryOtherMessage_NeverStopsTheStage()
    {
        var store = new TestTelemetryStore();
        await using var pipeline = new PipelineHarness(store, ThrowsForBoom, new CollectorOptions { BatchSize = 7 });
        await pipeline.StartAsync();

        for (var i = 0; i < 40; i++)
        {
            await pipeline.SendAsync(i % 2 == 0 ? $"ioc/v1/dc/ups/U{i}/telemetry" : "ioc/v1/dc/ups/BOOM/telemetry", Payload(i));
        }

        await Wait.UntilAsync(() => pipeline.Acks.Count == 40 || pipeline.BatcherTask!.IsCompleted, "40 acknowledgements");
        Assert.False(pipeline.BatcherTask!.IsCompleted, $"the batching stage stopped: {pipeline.BatcherTask.Exception?.InnerException}");
        Assert.Equal(20, store.Written.Count);
        Assert.Equal(20, pipeline.Metrics.Rejected(RejectReason.DecoderFault));
        Assert.Equal(20, (await pipeline.DeadLetters.ListAsync(100, null, CancellationToken.None)).Count);
    }
}
