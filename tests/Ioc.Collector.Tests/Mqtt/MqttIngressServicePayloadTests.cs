using System.Buffers;
using Ioc.Collector.Mqtt;

namespace Ioc.Collector.Tests.Mqtt;

public class MqttIngressServicePayloadTests
{
    [Fact]
    public void PayloadArray_WholeArray_IsTakenWithoutACopy()
    {
        var bytes = "{\"metrics\":{\"t\":1}}"u8.ToArray();

        var payload = MqttIngressService.PayloadArray(new ReadOnlySequence<byte>(bytes));

        Assert.Same(bytes, payload);
    }

    [Fact]
    public void PayloadArray_PartOfAnArray_IsCopiedExactly()
    {
        var bytes = "xx{\"a\":1}yy"u8.ToArray();

        var payload = MqttIngressService.PayloadArray(new ReadOnlySequence<byte>(bytes, 2, 7));

        Assert.NotSame(bytes, payload);
        Assert.Equal("{\"a\":1}"u8.ToArray(), payload);
    }

    [Fact]
    public void PayloadArray_Empty_IsEmpty()
    {
        Assert.Empty(MqttIngressService.PayloadArray(ReadOnlySequence<byte>.Empty));
    }
}
